import { chmod, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mediaClaims, type OwnerCheck } from './media-claims';
import { allocateClassicPorts, allocatePorts, CLASSIC_MEDIA_BLOCK, MEDIA_BLOCK, type PortRange } from './ports';

let registry: string;
beforeEach(async () => {
  registry = join(await mkdtemp(join(tmpdir(), 'voispeed-claims-')), 'registry');
});
afterEach(async () => {
  await rm(join(registry, '..'), { recursive: true, force: true });
});

/** Owners in `live` use whatever they claimed; any other owner is gone. */
const liveOwners =
  (live: Set<string>): OwnerCheck =>
  async (owner) =>
    live.has(owner);

describe('sandbox media claims', () => {
  it('refuses a block a live sandbox recorded, and hands it over once that sandbox stops using it', async () => {
    const live = new Set(['/sbx/a', '/sbx/b']);
    const a = mediaClaims({ owner: '/sbx/a', inUse: liveOwners(live), registry });
    const b = mediaClaims({ owner: '/sbx/b', inUse: liveOwners(live), registry });
    expect(await a.claim({ min: 20000, max: 20119 })).toBe(true);
    expect(await b.claim({ min: 20000, max: 20119 })).toBe(false);
    // A partial overlap (a classic block of 40 inside the ws block) is refused too; beside it is fine.
    expect(await b.claim({ min: 20080, max: 20119 })).toBe(false);
    expect(await b.claim({ min: 20120, max: 20159 })).toBe(true);
    live.delete('/sbx/a');
    expect(await b.claim({ min: 20000, max: 20119 })).toBe(true);
  });

  it('lets a sandbox claim its own block again, and releaseAll forgets only its own', async () => {
    const inUse = liveOwners(new Set(['/sbx/a', '/sbx/b']));
    const a = mediaClaims({ owner: '/sbx/a', inUse, registry });
    const b = mediaClaims({ owner: '/sbx/b', inUse, registry });
    expect(await a.claim({ min: 20000, max: 20039 })).toBe(true);
    expect(await a.claim({ min: 20000, max: 20039 })).toBe(true);
    expect(await b.claim({ min: 30000, max: 30039 })).toBe(true);
    await a.releaseAll();
    expect(await b.claim({ min: 20000, max: 20039 })).toBe(true);
    expect(await a.claim({ min: 30000, max: 30039 })).toBe(false);
  });

  it('asks about each owner only for the units it recorded', async () => {
    const asked: Array<[string, PortRange]> = [];
    const inUse: OwnerCheck = async (owner, range) => {
      asked.push([owner, range]);
      return false;
    };
    await mediaClaims({ owner: '/sbx/a', inUse, registry }).claim({ min: 20000, max: 20019 });
    expect(await mediaClaims({ owner: '/sbx/b', inUse, registry }).claim({ min: 19980, max: 20039 })).toBe(true);
    expect(asked).toEqual([['/sbx/a', { min: 20000, max: 20019 }]]);
  });

  it('keeps no record in a registry folder others can write (it could steer our ports)', async () => {
    const inUse = liveOwners(new Set(['/sbx/a', '/sbx/b']));
    expect(await mediaClaims({ owner: '/sbx/a', inUse, registry }).claim({ min: 20000, max: 20039 })).toBe(true);
    await chmod(registry, 0o777);
    const b = mediaClaims({ owner: '/sbx/b', inUse, registry });
    expect(await b.claim({ min: 20000, max: 20039 })).toBe(true);
    expect((await readdir(registry)).sort()).toEqual(['unit-1000', 'unit-1001']);
  });

  it('gives two sandboxes that draw the same media block disjoint ones', async () => {
    const inUse = liveOwners(new Set(['/sbx/a', '/sbx/b']));
    const window = { min: 20000, max: 20000 + 3 * MEDIA_BLOCK - 1 };
    const draws = () => {
      const seq = [0.5, 0.5, 0.9, 0.1];
      return () => seq.shift() ?? 0;
    };
    const a = await allocatePorts({ window, random: draws(), claim: mediaClaims({ owner: '/sbx/a', inUse, registry }).claim });
    const b = await allocatePorts({ window, random: draws(), claim: mediaClaims({ owner: '/sbx/b', inUse, registry }).claim });
    expect(a.rtpengineRtp.min).toBe(20000 + MEDIA_BLOCK);
    expect(b.rtpengineRtp.min).toBe(20000 + 2 * MEDIA_BLOCK);
    // A classic sandbox's smaller block keeps out of both.
    const c = await allocateClassicPorts({ window, random: () => 0.4, claim: mediaClaims({ owner: '/sbx/c', inUse: liveOwners(new Set(['/sbx/a', '/sbx/b', '/sbx/c'])), registry }).claim }).catch((e: Error) => e);
    expect(c).toBeInstanceOf(Error);
    const d = await allocateClassicPorts({ window, random: () => 0.1, claim: mediaClaims({ owner: '/sbx/d', inUse, registry }).claim });
    expect(d.baresip['2001'].rtp).toEqual({ min: 20000, max: 20000 + CLASSIC_MEDIA_BLOCK / 2 - 1 });
  });

  it('does not reuse an earlier run’s ports whose media another sandbox claimed meanwhile', async () => {
    const inUse = liveOwners(new Set(['/sbx/a', '/sbx/b']));
    const first = await allocatePorts({ claim: mediaClaims({ owner: '/sbx/a', inUse, registry }).claim });
    await mediaClaims({ owner: '/sbx/a', inUse, registry }).releaseAll();
    expect(await mediaClaims({ owner: '/sbx/b', inUse, registry }).claim(first.rtpengineRtp)).toBe(true);
    const again = await allocatePorts({ previous: first, claim: mediaClaims({ owner: '/sbx/a', inUse, registry }).claim });
    expect(again.rtpengineRtp.min).not.toBe(first.rtpengineRtp.min);
  });
});
