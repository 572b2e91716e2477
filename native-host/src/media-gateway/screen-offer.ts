import { offerIsPlayable } from './negotiation';
import { readPlainSdp, SdpError } from './plain-sdp';

/**
 * An incoming INVITE's offer, checked before the phone rings: a PBX offer the gateway can never
 * bridge (no G.711/Opus, an SRTP key suite it lacks, no audio, not RTP) is refused at once with
 * 488 and its reason, instead of ringing and failing when the user answers. Returns the reason
 * for the log, or undefined when the offer is fine (or absent: a late-SDP INVITE is offered to).
 */
export function screenPbxOffer(sdp: string | undefined): string | undefined {
  if (!sdp) return undefined;
  try {
    const media = readPlainSdp(sdp);
    if (media.unusableCrypto) return 'SRTP with a key suite other than AES_CM_128_HMAC_SHA1_80';
    if (!offerIsPlayable(media)) return `no codec the browser can take (offered: ${[...new Set(media.codecs.map((c) => c.name))].join(', ').slice(0, 120) || 'none'})`;
    return undefined;
  } catch (err) {
    return err instanceof SdpError ? err.message : 'unreadable SDP';
  }
}
