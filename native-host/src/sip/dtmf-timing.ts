/**
 * How long each DTMF key is asked of the browser's RTCDTMFSender (RFC 4733 telephone-event).
 *
 * Chromium's sender (libwebrtc RTPSenderAudio) measures an event's elapsed time in RTP timestamp
 * units of the AUDIO codec, but its requested length in units of telephone-event's clock (8000 Hz).
 * With opus (48 kHz, 20 ms frames) the first event packet already says 960 units elapsed; a 100 ms
 * key is 800 units, so that packet is an end packet, sent three times, each with the marker bit:
 * a receiver that counts start events (Linphone, IVRs) saw every key three times ("111555###").
 * The event must outlast two audio frames in those units: then the first packet is a start (marker,
 * not end) and the end packets that follow are unmarked, i.e. one event per key for every receiver.
 */

/** What narrowband codecs (8 kHz: PCMU, PCMA, G.722's RTP clock) always got, and still get. */
export const BASE_DTMF_MS = 100;
export const DTMF_GAP_MS = 70;
/** The RTCDTMFSender and the host protocol allow at most 6000 ms. */
const MAX_DTMF_MS = 6000;
const TELEPHONE_EVENT_CLOCK = 8000;
const DEFAULT_PTIME_MS = 20;
/** When the SDP tells nothing usable: assume opus at 48 kHz, the widest clock browsers send. */
const FALLBACK_CLOCK = 48_000;

/** Static RTP payload types (RFC 3551) that may appear without an rtpmap line. */
const STATIC_CLOCKS: Record<string, number> = { '0': 8000, '3': 8000, '4': 8000, '8': 8000, '9': 8000, '18': 8000 };
/** Payloads that are never the audio codec whose frames drive the sender. */
const NOT_A_VOICE_CODEC = /^(telephone-event|cn|red|rtx|ulpfec|flexfec)$/i;

/**
 * The clock rate and frame length of the codec the browser sends with: the first voice payload of
 * the remote description's audio section (libwebrtc picks its send codec in the remote's order),
 * and that section's `a=ptime`. Total: anything unreadable gives the widest common case.
 */
export function sendCodecTiming(remoteSdp: string | undefined | null): { clock: number; ptimeMs: number } {
  const fallback = { clock: FALLBACK_CLOCK, ptimeMs: DEFAULT_PTIME_MS };
  if (typeof remoteSdp !== 'string') return fallback;
  const sections = remoteSdp.split(/\r?\n(?=m=)/);
  const audio = sections.find((s) => /^m=audio /.test(s));
  if (!audio) return fallback;
  const lines = audio.split(/\r?\n/);
  const payloads = (lines[0] ?? '').trim().split(/\s+/).slice(3);
  const rtpmap = new Map<string, { name: string; clock: number }>();
  let ptimeMs = DEFAULT_PTIME_MS;
  for (const line of lines) {
    const map = /^a=rtpmap:(\d+) ([^/\s]+)\/(\d+)/.exec(line);
    if (map) rtpmap.set(map[1]!, { name: map[2]!, clock: Number(map[3]) });
    const ptime = /^a=ptime:(\d+(?:\.\d+)?)/.exec(line);
    if (ptime) ptimeMs = Math.min(120, Math.max(10, Math.ceil(Number(ptime[1]))));
  }
  for (const pt of payloads) {
    const known = rtpmap.get(pt);
    if (known) {
      if (NOT_A_VOICE_CODEC.test(known.name)) continue;
      return { clock: known.clock > 0 ? known.clock : FALLBACK_CLOCK, ptimeMs };
    }
    const fixed = STATIC_CLOCKS[pt];
    if (fixed) return { clock: fixed, ptimeMs };
  }
  return { ...fallback, ptimeMs };
}

/** The per-key duration to ask for, so that the key is one RFC 4733 event (see the file comment). */
export function dtmfDurationMs(remoteSdp: string | undefined | null): number {
  const { clock, ptimeMs } = sendCodecTiming(remoteSdp);
  const twoFramesInEventUnits = Math.ceil((2 * ptimeMs * clock) / TELEPHONE_EVENT_CLOCK);
  return Math.min(MAX_DTMF_MS, Math.max(BASE_DTMF_MS, twoFramesInEventUnits));
}
