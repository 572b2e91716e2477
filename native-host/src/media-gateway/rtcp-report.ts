/**
 * The RTCP the gateway sends the PBX (RFC 3550 section 6): a compound of a sender report (or a
 * receiver report while nothing is sent, e.g. on hold) and an SDES CNAME, every few seconds. The
 * browser's own RTCP is not forwarded: its receiver reports describe the WebRTC hop (werift's SSRC),
 * which the PBX never sees. Our SR names the SSRC the browser sends with, which the gateway passes
 * to the PBX unchanged, with the counts of what was really forwarded, so a PBX that shows call
 * quality or times out silent calls by RTCP sees a live, truthful stream.
 */

/** Seconds between 1900 (NTP epoch) and 1970. */
const NTP_OFFSET = 2_208_988_800;

export interface SenderState {
  ssrc: number;
  packets: number;
  octets: number;
  /** RTP timestamp of the last packet sent, and when (ms, wall clock). */
  lastTimestamp: number;
  lastSentAtMs: number;
  clockRate: number;
}

function sdes(ssrc: number, cname: string): Buffer {
  const text = Buffer.from(cname.slice(0, 255), 'utf8').subarray(0, 255);
  // SSRC, CNAME item (type 1, length, text), END (0), padded to 32 bits.
  const body = 4 + 2 + text.length + 1;
  const padded = Math.ceil(body / 4) * 4;
  const out = Buffer.alloc(4 + padded);
  out[0] = 0x81;
  out[1] = 202;
  out.writeUInt16BE(padded / 4, 2);
  out.writeUInt32BE(ssrc >>> 0, 4);
  out[8] = 1;
  out[9] = text.length;
  text.copy(out, 10);
  return out;
}

/** SR + SDES when something was sent (`sender.packets > 0`), else RR (no report blocks) + SDES. */
export function rtcpReport(sender: SenderState, cname: string, nowMs: number): Buffer {
  const ssrc = sender.ssrc >>> 0;
  if (sender.packets === 0) {
    const rr = Buffer.alloc(8);
    rr[0] = 0x80;
    rr[1] = 201;
    rr.writeUInt16BE(1, 2);
    rr.writeUInt32BE(ssrc, 4);
    return Buffer.concat([rr, sdes(ssrc, cname)]);
  }
  const sr = Buffer.alloc(28);
  sr[0] = 0x80;
  sr[1] = 200;
  sr.writeUInt16BE(6, 2);
  sr.writeUInt32BE(ssrc, 4);
  const seconds = Math.floor(nowMs / 1000);
  sr.writeUInt32BE((seconds + NTP_OFFSET) >>> 0, 8);
  sr.writeUInt32BE(Math.floor(((nowMs % 1000) / 1000) * 2 ** 32) >>> 0, 12);
  // The RTP time that corresponds to "now": the last timestamp advanced by the time since it was sent.
  const elapsed = Math.max(0, nowMs - sender.lastSentAtMs);
  sr.writeUInt32BE((sender.lastTimestamp + Math.round((elapsed * sender.clockRate) / 1000)) >>> 0, 16);
  sr.writeUInt32BE(sender.packets >>> 0, 20);
  sr.writeUInt32BE(sender.octets >>> 0, 24);
  return Buffer.concat([sr, sdes(ssrc, cname)]);
}
