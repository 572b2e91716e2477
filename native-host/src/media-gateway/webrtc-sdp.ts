import * as sdpTransform from 'sdp-transform';
import type { Codec } from './codecs';

/**
 * The audio codecs a browser's SDP lists (its payload types), in its order. The browser's SDP
 * comes from our own extension, yet it is still read totally: an unexpected shape yields [].
 */
export function webrtcAudioCodecs(sdp: string): Codec[] {
  let parsed: sdpTransform.SessionDescription;
  try {
    parsed = sdpTransform.parse(sdp);
  } catch {
    return [];
  }
  const m = (parsed.media ?? []).find((x) => x.type === 'audio');
  if (!m) return [];
  const fmtps = new Map((m.fmtp ?? []).map((f) => [f.payload, f.config]));
  const order = String(m.payloads ?? '')
    .split(/\s+/)
    .filter((t) => /^\d{1,3}$/.test(t))
    .map(Number);
  const out: Codec[] = [];
  for (const pt of order) {
    const r = (m.rtp ?? []).find((x) => x.payload === pt);
    if (!r) continue;
    const fmtp = fmtps.get(pt);
    out.push({ pt, name: r.codec, rate: r.rate ?? 8000, ...(r.encoding ? { channels: Number(r.encoding) } : {}), ...(fmtp ? { fmtp } : {}) });
  }
  return out;
}
