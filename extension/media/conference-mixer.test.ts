import { describe, expect, it, vi } from 'vitest';
import { ConferenceMixer, type MixLeg } from './conference-mixer';

/** A WebAudio stand-in that records which node feeds which destination. */
function fakeAudio() {
  const edges: [string, string][] = [];
  let n = 0;
  const node = (name: string) => ({ name, connect: (to: { name: string }) => void edges.push([name, to.name]), disconnect: vi.fn() });
  const ctx = {
    state: 'running',
    resume: vi.fn(async () => undefined),
    createMediaStreamSource: (stream: { tracks: { id: string }[] }) => node(`src:${stream.tracks[0]!.id}`),
    createMediaStreamDestination: () => {
      const id = `mix${++n}`;
      const track = { id, stop: vi.fn() };
      return { ...node(`dest:${id}`), stream: { getAudioTracks: () => [track] } };
    },
  };
  return { ctx, edges };
}

const track = (id: string) => ({ id }) as unknown as MediaStreamTrack;

function leg(name: string) {
  const sent: (string | null)[] = [];
  const sender = { replaceTrack: vi.fn(async (t: { id: string } | null) => void sent.push(t ? t.id : null)) };
  const l: MixLeg = { pcId: name, remote: () => track(`${name}-far`), mic: () => track(`${name}-mic`), sender: () => sender as never };
  return { l, sent };
}

describe('ConferenceMixer', () => {
  it('each call sends the user and the other far end; un-mixing puts each microphone back', async () => {
    const { ctx, edges } = fakeAudio();
    const mixer = new ConferenceMixer({ createAudioContext: () => ctx as never, createMediaStream: (tracks) => ({ tracks }) as never, log: () => undefined });
    const a = leg('a');
    const b = leg('b');
    expect(await mixer.set([a.l, b.l])).toBe(2);
    expect(edges.sort()).toEqual(
      [
        ['src:a-mic', 'dest:mix1'],
        ['src:b-far', 'dest:mix1'],
        ['src:b-mic', 'dest:mix2'],
        ['src:a-far', 'dest:mix2'],
      ].sort(),
    );
    expect(a.sent).toEqual(['mix1']);
    expect(b.sent).toEqual(['mix2']);
    expect(mixer.pcIds).toEqual(['a', 'b']);

    expect(await mixer.remove('b')).toBe(0);
    expect(a.sent).toEqual(['mix1', 'a-mic']);
    expect(mixer.pcIds).toEqual([]);
  });

  it('fewer than two calls mix nothing; a failing replaceTrack is logged, not thrown', async () => {
    const { ctx } = fakeAudio();
    const log = vi.fn();
    const mixer = new ConferenceMixer({ createAudioContext: () => ctx as never, createMediaStream: (tracks) => ({ tracks }) as never, log });
    expect(await mixer.set([leg('a').l])).toBe(0);
    const bad = leg('b');
    (bad.l.sender() as unknown as { replaceTrack: ReturnType<typeof vi.fn> }).replaceTrack.mockRejectedValue(new Error('closed'));
    expect(await mixer.set([leg('a').l, bad.l])).toBe(2);
    expect(log).toHaveBeenCalledWith('conference: cannot switch what b sends', expect.any(Error));
  });

  it('refuses to mix when the audio context does not run, leaving every call sending its microphone', async () => {
    const { ctx } = fakeAudio();
    Object.assign(ctx, { state: 'suspended', resume: vi.fn(() => new Promise<void>(() => undefined)) });
    vi.useFakeTimers();
    try {
      const mixer = new ConferenceMixer({ createAudioContext: () => ctx as never, createMediaStream: (tracks) => ({ tracks }) as never, log: () => undefined });
      const a = leg('a');
      const b = leg('b');
      const result = mixer.set([a.l, b.l]);
      const check = expect(result).rejects.toMatchObject({ code: 5001 });
      await vi.advanceTimersByTimeAsync(1000);
      await check;
      expect(a.sent).toEqual([]);
      expect(b.sent).toEqual([]);
      expect(mixer.pcIds).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });
});
