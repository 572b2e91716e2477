import { describe, expect, it } from 'vitest';
import { GRACE_MS, REMAKE_MS, Spares, WARM_MS } from './spares';

/** Spares over fake timers and a fake clock: every step is driven by the test. */
function rig(opts: { failMake?: boolean; mic?: { works: boolean } } = {}) {
  let now = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  let nextTimer = 1;
  const log: string[] = [];
  const made: { id: string; resolve(): void; reject(): void }[] = [];
  const spares = new Spares<string>({
    make: (id) =>
      new Promise<string>((resolve, reject) => {
        log.push(`make ${id}`);
        made.push({ id, resolve: () => resolve(`pc(${id})`), reject: () => reject(new Error('no offer')) });
        if (opts.failMake) reject(new Error('no offer'));
      }),
    announce: (id) => void log.push(`announce ${id}`),
    mayAnnounce: () => opts.mic?.works ?? true,
    withdraw: (id) => void log.push(`withdraw ${id}`),
    discard: (s) => void log.push(`discard ${s}`),
    now: () => now,
    setTimer: (fn, ms) => {
      const h = nextTimer++;
      timers.set(h, { at: now + ms, fn });
      return h;
    },
    clearTimer: (h) => void timers.delete(h as number),
    log: (m) => void log.push(`log ${m}`),
  });
  const advance = async (ms: number) => {
    const until = now + ms;
    for (;;) {
      const due = [...timers.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      timers.delete(due[0]);
      now = due[1].at;
      due[1].fn();
      await Promise.resolve();
    }
    now = until;
    await new Promise((r) => setTimeout(r, 0));
  };
  const settle = async (i: number) => {
    made[i]!.resolve();
    await new Promise((r) => setTimeout(r, 0));
  };
  return { spares, log, made, advance, settle };
}

describe('Spares', () => {
  it('makes one on warm and announces it once ready; a second warm makes no other', async () => {
    const r = rig();
    r.spares.warm();
    r.spares.warm();
    expect(r.log).toEqual(['make spare-1']);
    expect(r.spares.readyId).toBeUndefined();
    await r.settle(0);
    expect(r.log).toEqual(['make spare-1', 'announce spare-1']);
    expect(r.spares.readyId).toBe('spare-1');
  });

  it('a spare is claimed once: a second claim, or one for a name never made, finds nothing', async () => {
    const r = rig();
    r.spares.warm();
    expect(r.spares.claim('spare-1')).toBeUndefined(); // still being made
    await r.settle(0);
    expect(r.spares.claim('spare-1')).toBe('pc(spare-1)');
    expect(r.spares.claim('spare-1')).toBeUndefined();
    expect(r.spares.claim('spare-9')).toBeUndefined();
    expect(r.spares.readyId).toBeUndefined();
  });

  it('after a claim the next spare comes REMAKE_MS later, while warm; not after the warm period', async () => {
    const r = rig();
    r.spares.warm();
    await r.settle(0);
    r.spares.claim('spare-1');
    await r.advance(REMAKE_MS - 1);
    expect(r.log).not.toContain('make spare-2');
    await r.advance(1);
    expect(r.log).toContain('make spare-2');
    await r.settle(1);
    expect(r.spares.readyId).toBe('spare-2');
    // Claimed after the warm period ended (the claim came during the grace): nothing new is made.
    await r.advance(WARM_MS);
    expect(r.log).toContain('withdraw spare-2');
    expect(r.spares.claim('spare-2')).toBe('pc(spare-2)');
    await r.advance(REMAKE_MS + GRACE_MS);
    expect(r.log).not.toContain('make spare-3');
    expect(r.log).not.toContain('discard pc(spare-2)');
  });

  it('unused for WARM_MS it is withdrawn, still claimable during GRACE_MS, then closed', async () => {
    const r = rig();
    r.spares.warm();
    await r.settle(0);
    await r.advance(WARM_MS - 1);
    expect(r.log).not.toContain('withdraw spare-1');
    await r.advance(1);
    expect(r.log).toContain('withdraw spare-1');
    expect(r.spares.readyId).toBeUndefined();
    await r.advance(GRACE_MS - 1);
    expect(r.log).not.toContain('discard pc(spare-1)');
    await r.advance(1);
    expect(r.log).toContain('discard pc(spare-1)');
    expect(r.spares.claim('spare-1')).toBeUndefined();
  });

  it('warm again before expiry keeps the same spare for another WARM_MS', async () => {
    const r = rig();
    r.spares.warm();
    await r.settle(0);
    await r.advance(WARM_MS - 10);
    r.spares.warm();
    await r.advance(WARM_MS - 10);
    expect(r.log).not.toContain('withdraw spare-1');
    expect(r.log.filter((l) => l.startsWith('make'))).toEqual(['make spare-1']);
  });

  it('one that expires while being made is closed once made, never announced', async () => {
    const r = rig();
    r.spares.warm();
    await r.advance(WARM_MS);
    await r.settle(0);
    expect(r.log).toEqual(['make spare-1', 'discard pc(spare-1)']);
  });

  it('one that cannot be made is logged; the next warm tries again', async () => {
    const r = rig({ failMake: true });
    r.spares.warm();
    await new Promise((res) => setTimeout(res, 0));
    expect(r.log.some((l) => l.startsWith('log cannot prepare'))).toBe(true);
    r.spares.warm();
    expect(r.log.filter((l) => l.startsWith('make'))).toEqual(['make spare-1', 'make spare-2']);
  });

  it('closeAll withdraws and closes the ready one and those in their grace, and stops remaking', async () => {
    const r = rig();
    r.spares.warm();
    await r.settle(0);
    await r.advance(WARM_MS);
    r.spares.warm();
    await r.settle(1);
    r.spares.closeAll();
    expect(r.log).toEqual(expect.arrayContaining(['withdraw spare-2', 'discard pc(spare-2)', 'discard pc(spare-1)']));
    expect(r.spares.readyId).toBeUndefined();
    await r.advance(WARM_MS + GRACE_MS);
    expect(r.log.filter((l) => l.startsWith('make'))).toEqual(['make spare-1', 'make spare-2']);
  });

  it('reannounce tells a new host of the ready spare only', async () => {
    const r = rig();
    r.spares.reannounce();
    r.spares.warm();
    r.spares.reannounce();
    expect(r.log).toEqual(['make spare-1']);
    await r.settle(0);
    r.spares.reannounce();
    expect(r.log.filter((l) => l === 'announce spare-1')).toHaveLength(2);
  });
});

describe('Spares after a call', () => {
  it('the call that took one ending makes the next one at once, not REMAKE_MS later; only once', async () => {
    const r = rig();
    r.spares.warm();
    await r.settle(0);
    r.spares.claim('spare-1');
    r.spares.callEnded();
    expect(r.log.filter((l) => l.startsWith('make'))).toEqual(['make spare-1', 'make spare-2']);
    r.spares.callEnded();
    await r.advance(REMAKE_MS);
    expect(r.log.filter((l) => l.startsWith('make'))).toEqual(['make spare-1', 'make spare-2']);
  });

  it('a call ending with no claim pending (or after the warm period) makes nothing', async () => {
    const r = rig();
    r.spares.callEnded();
    r.spares.warm();
    await r.settle(0);
    r.spares.callEnded();
    expect(r.log.filter((l) => l.startsWith('make'))).toEqual(['make spare-1']);
  });
});

describe('Spares before any microphone opened', () => {
  it('makes one but announces it only once a call could use it (warm, or a host attaching, after that)', async () => {
    const mic = { works: false };
    const r = rig({ mic });
    r.spares.warm();
    await r.settle(0);
    expect(r.log).toEqual(['make spare-1']);
    expect(r.spares.readyId).toBe('spare-1');
    expect(r.spares.announcedId).toBeUndefined();
    r.spares.reannounce();
    r.spares.warm();
    expect(r.log).toEqual(['make spare-1']);
    mic.works = true;
    r.spares.warm();
    r.spares.warm();
    expect(r.log).toEqual(['make spare-1', 'announce spare-1']);
    expect(r.spares.announcedId).toBe('spare-1');
  });
});
