import { describe, expect, it } from 'vitest';
import { BASE_DTMF_MS, dtmfDurationMs, sendCodecTiming } from './dtmf-timing';

const sdp = (m: string, ...attrs: string[]) => ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 't=0 0', m, 'c=IN IP4 127.0.0.1', ...attrs, ''].join('\r\n');

/** What rtpengine hands the browser for Linphone: opus first, telephone-event/8000 beside it. */
const OPUS = sdp('m=audio 30000 UDP/TLS/RTP/SAVPF 96 101 0', 'a=rtpmap:96 opus/48000/2', 'a=rtpmap:101 telephone-event/8000', 'a=rtpmap:0 PCMU/8000');
/** What the sandbox bot answers: PCMU only. */
const PCMU = sdp('m=audio 30000 UDP/TLS/RTP/SAVPF 0 126', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:126 telephone-event/8000');

describe('DTMF duration per negotiated codec', () => {
  it('opus at 20 ms needs more than two frames of 960 units in 8 kHz units: 240 ms', () => {
    expect(sendCodecTiming(OPUS)).toEqual({ clock: 48_000, ptimeMs: 20 });
    expect(dtmfDurationMs(OPUS)).toBe(240);
  });

  it('narrowband PCMU keeps the usual 100 ms (already several packets per key)', () => {
    expect(dtmfDurationMs(PCMU)).toBe(BASE_DTMF_MS);
    // A static payload type without an rtpmap line is still 8 kHz.
    expect(dtmfDurationMs(sdp('m=audio 1 RTP/AVP 8 101', 'a=rtpmap:101 telephone-event/8000'))).toBe(BASE_DTMF_MS);
  });

  it('longer frames from the far end (a=ptime) lengthen the key accordingly', () => {
    expect(dtmfDurationMs(OPUS.replace('a=rtpmap:0', 'a=ptime:60\r\na=rtpmap:0'))).toBe(720);
    expect(dtmfDurationMs(OPUS.replace('a=rtpmap:0', 'a=ptime:40\r\na=rtpmap:0'))).toBe(480);
  });

  it('skips telephone-event, CN and red listed first, and reads only the audio section', () => {
    const s = sdp('m=audio 1 RTP/AVP 101 13 97 9', 'a=rtpmap:101 telephone-event/8000', 'a=rtpmap:13 CN/8000', 'a=rtpmap:97 red/48000/2', 'a=rtpmap:9 G722/8000');
    expect(sendCodecTiming(s).clock).toBe(8000);
    const video = `${sdp('m=video 2 RTP/AVP 96', 'a=rtpmap:96 VP8/90000')}m=audio 3 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n`;
    expect(sendCodecTiming(video).clock).toBe(8000);
  });

  it('is total: missing or nonsense SDP assumes the widest common codec (opus), never throws', () => {
    for (const bad of [undefined, null, '', 'garbage', 'm=audio', 'm=audio 1 RTP/AVP 96\r\na=rtpmap:96 opus/0', '\u0000'.repeat(10)]) {
      const d = dtmfDurationMs(bad);
      expect(d).toBeGreaterThanOrEqual(240);
      expect(d).toBeLessThanOrEqual(6000);
    }
    expect(dtmfDurationMs(OPUS.replace('a=rtpmap:0', 'a=ptime:99999\r\na=rtpmap:0'))).toBe(1440);
  });
});
