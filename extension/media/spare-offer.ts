import type { PcSnapshot } from '../../shared/protocol';
import type { PcEntry } from './pc-entry';
import type { PcEventData } from './snapshot';
import { Spares } from './spares';

/** A spare whose gathering does not complete in this time is not offered (Firefox with no usable interface). */
const SPARE_GATHERING_MS = 5_000;

/** What the engine lends its spares (engine.ts). */
export interface SpareHost {
  newEntry(spareId: string): PcEntry;
  shutdown(e: PcEntry): void;
  snapshot(e: PcEntry): PcSnapshot;
  onEvent(data: PcEventData): void;
  /** A microphone opened in this engine at least once (Spares' mayAnnounce). */
  micOpened(): boolean;
  trace?(pcId: string, stage: string): void;
  log(message: string, err?: unknown): void;
}

/** The engine's spares: peer connections made by offerAhead, announced as `media.pc` events. */
export function engineSpares(host: SpareHost): Spares<PcEntry> {
  const tell = (spareId: string, e: PcEntry, type: 'prepared' | 'withdrawn') => {
    try {
      host.onEvent({ pcId: spareId, type, snapshot: host.snapshot(e), ...(type === 'prepared' ? { iceServers: [] } : {}) });
    } catch (err) {
      host.log(`cannot report ${type} of ${spareId}`, err);
    }
  };
  return new Spares<PcEntry>({
    make: async (spareId) => {
      const entry = host.newEntry(spareId);
      entry.spare = true;
      entry.prepared = true;
      try {
        await offerAhead(entry.pc, SPARE_GATHERING_MS);
        if (entry.closed) throw new Error('closed while being prepared');
        host.trace?.(spareId, 'spare ready');
        return entry;
      } catch (err) {
        host.shutdown(entry);
        throw err;
      }
    },
    announce: (id, e) => tell(id, e, 'prepared'),
    withdraw: (id, e) => tell(id, e, 'withdrawn'),
    mayAnnounce: () => host.micOpened(),
    discard: (e) => host.shutdown(e),
    now: () => Date.now(),
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    log: host.log,
  });
}

/**
 * A spare's offer (spares.ts): an audio transceiver (sendrecv, no track: no microphone is opened
 * for it), the offer set as local description, gathering complete within `deadlineMs`. Rejects
 * when it cannot be made, or when it would not do for a call (mDNS candidates).
 */
export async function offerAhead(pc: RTCPeerConnection, deadlineMs: number): Promise<void> {
  pc.addTransceiver('audio', { direction: 'sendrecv' });
  const gathered = new Promise<void>((resolve, reject) => {
    const check = () => {
      if (pc.iceGatheringState !== 'complete') return;
      pc.removeEventListener('icegatheringstatechange', check);
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      pc.removeEventListener('icegatheringstatechange', check);
      reject(new Error(`ICE gathering still ${pc.iceGatheringState} after ${deadlineMs} ms`));
    }, deadlineMs);
    pc.addEventListener('icegatheringstatechange', check);
  });
  // Swallowed here (awaited below): a failed offer must not leave an unhandled rejection.
  gathered.catch(() => undefined);
  await pc.setLocalDescription(await pc.createOffer());
  if (pc.iceGatheringState !== 'complete') await gathered;
  // A browser hides its addresses behind mDNS names (x.local) from a page that is not
  // capturing (Firefox); a PBX's media relay cannot resolve them (rtpengine). Such an offer is
  // not offered: a call makes its own after opening the microphone, which has real ones.
  if (/^a=candidate:\S+ \d+ \S+ \d+ \S+\.local /m.test(pc.localDescription?.sdp ?? '')) throw new Error('its candidates are mDNS names');
}
