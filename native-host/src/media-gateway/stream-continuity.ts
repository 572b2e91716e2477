/**
 * Keeps one outgoing RTP stream continuous while its source changes (the PBX re-anchors media,
 * a transfer brings a new far end with a new SSRC): the receiver sees one SSRC whose sequence
 * numbers and timestamps go on from where they were, so its jitter buffer does not stall on a
 * jump. Within one source the offsets stay fixed, so gaps and reordering pass through as they are.
 */
export class StreamContinuity {
  private source: number | undefined;
  private seqOffset = 0;
  private tsOffset = 0;
  private lastSeq = 0;
  private lastTs = 0;
  private started = false;

  /** @param frameTicks timestamp units of one packet (20 ms), used to step over a source change. */
  constructor(private readonly frameTicks: number) {}

  next(ssrc: number, seq: number, timestamp: number): { seq: number; timestamp: number } {
    if (ssrc !== this.source) {
      if (this.started) {
        this.seqOffset = (this.lastSeq + 1 - seq) & 0xffff;
        this.tsOffset = (this.lastTs + this.frameTicks - timestamp) >>> 0;
      }
      this.source = ssrc;
    }
    const out = { seq: (seq + this.seqOffset) & 0xffff, timestamp: (timestamp + this.tsOffset) >>> 0 };
    // Only forward progress moves the anchor: a late packet must not pull the next change back.
    if (!this.started || ((out.seq - this.lastSeq) & 0xffff) < 0x8000) {
      this.lastSeq = out.seq;
      this.lastTs = out.timestamp;
    }
    this.started = true;
    return out;
  }
}
