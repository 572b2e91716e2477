/**
 * Routes an <audio> element to a chosen output device. An id that no longer exists (headset
 * unplugged) falls back to the system default: a ring or a voice on the wrong device beats silence.
 */
export async function applySink(el: HTMLMediaElement, sinkId: string, log: (message: string, err?: unknown) => void): Promise<void> {
  // Firefox before 116 has no setSinkId: everything plays on the default device there.
  if (typeof el.setSinkId !== 'function' || el.sinkId === sinkId) return;
  try {
    await el.setSinkId(sinkId);
  } catch (err) {
    log(`audio output ${sinkId || 'default'} unavailable`, err);
    if (sinkId) await el.setSinkId('').catch(() => undefined);
  }
}
