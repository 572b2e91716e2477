/**
 * One DTLS certificate made ahead for every peer connection: left to each, its first createOffer or
 * setRemoteDescription waits for one (issue 19's per-stage trace). Renewed a day before it expires;
 * until one is ready, peer connections make their own as before.
 */
const MARGIN_MS = 24 * 3600_000;

export class DtlsCertificate {
  private certificate: RTCCertificate | undefined;
  private coming: Promise<void> | undefined;

  constructor(
    private readonly generate: (() => Promise<RTCCertificate>) | undefined,
    private readonly log: (message: string, err?: unknown) => void,
  ) {
    this.ready();
  }

  /** The certificate if it is ready and not about to expire; otherwise one is made for the next calls. */
  ready(): RTCCertificate | undefined {
    const cert = this.certificate;
    if (cert && cert.expires > Date.now() + MARGIN_MS) return cert;
    if (this.generate && !this.coming) {
      this.coming = this.generate()
        .then(
          (c) => void (this.certificate = c),
          (err: unknown) => this.log('cannot make a DTLS certificate ahead; each call makes its own', err),
        )
        .finally(() => (this.coming = undefined));
    }
    return undefined;
  }
}
