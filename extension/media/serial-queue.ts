/**
 * Runs async jobs one after another, in the order they were added. One per peer connection: the
 * host may send createOffer while addMicrophone still awaits getUserMedia, and the offer must
 * include the microphone, so nothing on a peer connection may overtake what was asked before it.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /** Adds `job` now (synchronously, so the call order is the run order) and settles with it. */
  run<T>(job: () => Promise<T> | T): Promise<T> {
    const result = this.tail.then(job);
    // A failed job must not stop the ones behind it.
    this.tail = result.catch(() => undefined);
    return result;
  }
}
