import { FrameDecoder, encodeFrame } from '../../native-host/src/messaging/framing';

export { encodeFrame };

/** Collects decoded messages from a byte stream, for tests that speak to a real host process. */
export class FrameCollector {
  readonly messages: unknown[] = [];
  /** Anything on the stream that was not a well-formed JSON frame. */
  readonly errors: string[] = [];
  private readonly decoder = new FrameDecoder({ maxFrameBytes: 2 * 1024 * 1024 });
  private waiters: { pred: (m: unknown) => boolean; resolve: (m: unknown) => void }[] = [];

  push(chunk: Buffer): void {
    for (const d of this.decoder.push(chunk)) {
      if (d.kind !== 'message') {
        this.errors.push(d.message);
        continue;
      }
      this.messages.push(d.value);
      this.waiters = this.waiters.filter((w) => {
        if (!w.pred(d.value)) return true;
        w.resolve(d.value);
        return false;
      });
    }
  }

  get pendingBytes(): number {
    return this.decoder.pendingBytes;
  }

  waitFor<T = Record<string, unknown>>(pred: (m: any) => boolean, timeoutMs = 10_000, what = 'message'): Promise<T> {
    const found = this.messages.find(pred);
    if (found) return Promise.resolve(found as T);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
      this.waiters.push({
        pred,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m as T);
        },
      });
    });
  }
}
