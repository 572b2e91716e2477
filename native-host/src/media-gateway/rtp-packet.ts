/**
 * RTP header reading and rewriting on raw datagrams (RFC 3550 section 5.1), total: a datagram
 * that is not well-formed RTP yields undefined, never a throw. Only what forwarding needs.
 */

/** Larger than any G.711/Opus packet at 20-60 ms; anything bigger is not our media and is dropped. */
export const MAX_DATAGRAM = 1500;

export interface RtpView {
  pt: number;
  marker: boolean;
  seq: number;
  timestamp: number;
  ssrc: number;
  /** Offset of the payload (after CSRCs and any header extension). */
  payloadOffset: number;
  /** Length without RTP padding. */
  payloadEnd: number;
}

/** RTCP packet types 200-204 (+ 205/206 feedback) share RTP's port with rtcp-mux (RFC 5761). */
export function looksLikeRtcp(buf: Buffer): boolean {
  return buf.length >= 8 && buf[0]! >> 6 === 2 && buf[1]! >= 192 && buf[1]! <= 223;
}

export function readRtp(buf: Buffer): RtpView | undefined {
  if (buf.length < 12 || buf.length > MAX_DATAGRAM) return undefined;
  const b0 = buf[0]!;
  if (b0 >> 6 !== 2 || looksLikeRtcp(buf)) return undefined;
  let offset = 12 + (b0 & 0x0f) * 4;
  if (offset > buf.length) return undefined;
  if (b0 & 0x10) {
    if (offset + 4 > buf.length) return undefined;
    offset += 4 + buf.readUInt16BE(offset + 2) * 4;
    if (offset > buf.length) return undefined;
  }
  let end = buf.length;
  if (b0 & 0x20) {
    const pad = buf[buf.length - 1]!;
    if (pad === 0 || offset + pad > buf.length) return undefined;
    end -= pad;
  }
  return {
    pt: buf[1]! & 0x7f,
    marker: (buf[1]! & 0x80) !== 0,
    seq: buf.readUInt16BE(2),
    timestamp: buf.readUInt32BE(4),
    ssrc: buf.readUInt32BE(8),
    payloadOffset: offset,
    payloadEnd: end,
  };
}

/** A fresh RTP datagram: 12-byte header, no CSRC, no extension, no padding. */
export function writeRtp(h: { pt: number; marker: boolean; seq: number; timestamp: number; ssrc: number }, payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(12 + payload.length);
  out[0] = 0x80;
  out[1] = (h.marker ? 0x80 : 0) | (h.pt & 0x7f);
  out.writeUInt16BE(h.seq & 0xffff, 2);
  out.writeUInt32BE(h.timestamp >>> 0, 4);
  out.writeUInt32BE(h.ssrc >>> 0, 8);
  payload.copy(out, 12);
  return out;
}
