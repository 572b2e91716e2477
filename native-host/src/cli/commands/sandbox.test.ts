import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolvePaths } from '../../settings/paths';
import { CliError, type CliContext } from '../command';
import { sandboxCommand } from './sandbox';

let home: string;
let out: string[];
let ctx: CliContext;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'voispeed-cli-sbx-'));
  out = [];
  const env = { VOISPEED_HOME: home };
  ctx = {
    env,
    platform: 'linux',
    paths: resolvePaths({ env, platform: 'linux', homedir: home, tmpdir: tmpdir(), uid: 1000 }),
    homedir: home,
    uid: 1000,
    bundleDir: home,
    nodePath: process.execPath,
    out: (l) => out.push(l),
    err: (l) => out.push(`ERR ${l}`),
  };
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('voispeed sandbox', () => {
  it('needs exactly one of start, stop, status', async () => {
    for (const args of [[], ['restart'], ['start', 'stop']]) {
      await expect(sandboxCommand.run(args, ctx)).rejects.toThrow(CliError);
    }
    await expect(sandboxCommand.run(['status', '--bogus'], ctx)).rejects.toThrow(/bogus/);
    await expect(sandboxCommand.run(['status', '--classic'], ctx)).rejects.toThrow(/--classic goes with start/);
    await expect(sandboxCommand.run(['start', '--address', '10.0.0.2'], ctx)).rejects.toThrow(/--address goes with start --classic/);
    await expect(sandboxCommand.run(['start', '--classic', '--address', 'pbx;rm'], ctx)).rejects.toThrow(/IPv4/);
  });

  it('reports a sandbox that was never started, in words and in JSON', async () => {
    expect(await sandboxCommand.run(['status'], ctx)).toBe(0);
    expect(out).toEqual([`sandbox: not created in ${join(home, 'sandbox')} (run: voispeed sandbox start)`]);
    out = [];
    expect(await sandboxCommand.run(['status', '--json', '--dir', join(home, 'other')], ctx)).toBe(0);
    expect(JSON.parse(out.join('\n'))).toEqual({ running: false, dir: join(home, 'other') });
  });

  it('stop with nothing running is not an error', async () => {
    expect(await sandboxCommand.run(['stop'], ctx)).toBe(0);
    expect(out).toEqual([`sandbox: nothing to stop in ${join(home, 'sandbox')}`]);
  });

  it('start without the PBX programs fails with one line naming them', async () => {
    ctx.env = { ...ctx.env, PATH: '/nonexistent' };
    const err = await sandboxCommand.run(['start', '--dir', join(home, 'x')], ctx).catch((e: Error) => e);
    if (err instanceof CliError) expect(err.message).not.toContain('\n');
    // On a machine with /usr/sbin/kamailio only rtpengine and baresip are missing.
    expect(String((err as Error).message)).toMatch(/sandbox needs .*(rtpengine|baresip)/);
  });
});
