import { randomBytes } from 'node:crypto';
import { ProtectionProfileAes128CmHmacSha1_80, SrtcpSession, SrtpSession, RtpHeader } from 'werift';
import type { SdesKey } from './plain-sdp';

/** A new SDES key for the gateway's own sending direction. */
export function newSdesKey(tag: number): SdesKey {
  return { tag, suite: 'AES_CM_128_HMAC_SHA1_80', keySalt: randomBytes(30) };
}

/**
 * SDES-SRTP toward the PBX (RFC 4568 keys, RFC 3711 AES_CM_128_HMAC_SHA1_80), reusing werift's
 * SRTP code: `local` keys what we send, `remote` what the PBX sends.
 */
export class SdesCipher {
  private readonly srtp: SrtpSession;
  private readonly srtcp: SrtcpSession;

  constructor(local: SdesKey, remote: SdesKey) {
    const keys = {
      localMasterKey: local.keySalt.subarray(0, 16),
      localMasterSalt: local.keySalt.subarray(16, 30),
      remoteMasterKey: remote.keySalt.subarray(0, 16),
      remoteMasterSalt: remote.keySalt.subarray(16, 30),
    };
    this.srtp = new SrtpSession({ keys, profile: ProtectionProfileAes128CmHmacSha1_80 });
    this.srtcp = new SrtcpSession({ keys, profile: ProtectionProfileAes128CmHmacSha1_80 });
  }

  /** A plain RTP datagram (12-byte header, as writeRtp makes) → SRTP. */
  protect(rtp: Buffer): Buffer {
    const header = RtpHeader.deSerialize(rtp);
    return this.srtp.encrypt(rtp.subarray(header.payloadOffset), header);
  }

  /** SRTP → plain RTP, or undefined when the authentication tag is wrong (forged, or another key). */
  unprotect(srtp: Buffer): Buffer | undefined {
    try {
      return this.srtp.decrypt(srtp);
    } catch {
      return undefined;
    }
  }

  protectRtcp(rtcp: Buffer): Buffer {
    return this.srtcp.encrypt(rtcp);
  }

  unprotectRtcp(srtcp: Buffer): Buffer | undefined {
    try {
      return this.srtcp.decrypt(srtcp);
    } catch {
      return undefined;
    }
  }
}
