import { describe, expect, it, vi } from 'vitest';
import { FakeStream, FakeTrack } from './fake-webrtc';
import { Microphone } from './microphone';

function mic(fail: (c: MediaStreamConstraints) => string | undefined = () => undefined) {
  const opened: FakeTrack[] = [];
  const asked: MediaStreamConstraints[] = [];
  const m = new Microphone({
    getUserMedia: vi.fn(async (c: MediaStreamConstraints) => {
      asked.push(c);
      const name = fail(c);
      if (name) throw Object.assign(new Error(name), { name });
      const t = new FakeTrack();
      opened.push(t);
      return new FakeStream([t]) as unknown as MediaStream;
    }),
    log: () => undefined,
  });
  return { m, opened, asked };
}

const exactId = (c: MediaStreamConstraints) => ((c.audio as MediaTrackConstraints).deviceId as { exact?: string } | undefined)?.exact;

describe('Microphone', () => {
  it('falls back to the default device when the chosen one is gone', async () => {
    const { m, asked } = mic((c) => (exactId(c) === 'usb-headset' ? 'OverconstrainedError' : undefined));
    await m.setDevice('usb-headset');
    const lease = await m.acquire(async () => undefined);
    expect(asked.map(exactId)).toEqual(['usb-headset', undefined]);
    expect(lease.track.readyState).toBe('live');
  });

  it('does not hide a refused permission behind the fallback', async () => {
    const { m, asked } = mic(() => 'NotAllowedError');
    await m.setDevice('usb-headset');
    await expect(m.acquire(async () => undefined)).rejects.toMatchObject({ name: 'NotAllowedError' });
    expect(asked).toHaveLength(1);
    expect(m.active).toBe(false);
  });

  it('asks again after a failure instead of caching it', async () => {
    let refuse = true;
    const { m } = mic(() => (refuse ? 'NotReadableError' : undefined));
    await expect(m.acquire(async () => undefined)).rejects.toThrow();
    refuse = false;
    await expect(m.acquire(async () => undefined)).resolves.toBeTruthy();
  });

  it('a source that ends (unplugged) is not cloned again', async () => {
    const { m, opened } = mic();
    const a = await m.acquire(async () => undefined);
    opened[0]!.dispatchEvent(new Event('ended'));
    await new Promise((r) => setTimeout(r, 0));
    const b = await m.acquire(async () => undefined);
    expect(opened).toHaveLength(2);
    expect((b.track as unknown as FakeTrack).source).toBe(opened[1]);
    a.release();
    b.release();
  });

  it('a hold opens the source ahead of the call, the call takes it, and it stops when the hold ends after the call', async () => {
    vi.useFakeTimers();
    try {
      const { m, opened } = mic();
      m.hold('prepared', 30_000);
      await vi.advanceTimersByTimeAsync(0);
      expect(opened).toHaveLength(1);
      const lease = await m.acquire(async () => undefined);
      expect(opened).toHaveLength(1);
      lease.release();
      expect(opened[0]!.readyState).toBe('live');
      await vi.advanceTimersByTimeAsync(30_000);
      expect(opened[0]!.readyState).toBe('ended');
      expect(m.active).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a hold without a time lasts until released; stop() ends every hold; a refused hold is dropped', async () => {
    const { m, opened } = mic();
    m.hold('ringing');
    await new Promise((r) => setTimeout(r, 0));
    expect(m.active).toBe(true);
    m.release('ringing');
    expect(m.active).toBe(false);
    m.hold('ringing');
    m.hold('prepared', 60_000);
    m.stop();
    expect(m.active).toBe(false);
    await new Promise((r) => setTimeout(r, 0));
    expect(opened.every((t) => t.readyState === 'ended')).toBe(true);

    const refused = mic(() => 'NotAllowedError');
    refused.m.hold('prepared', 60_000);
    await new Promise((r) => setTimeout(r, 0));
    expect(refused.m.active).toBe(false);
  });
});
