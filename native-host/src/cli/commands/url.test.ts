import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { resolvePaths } from '../../settings/paths';
import type { CliContext } from '../command';
import { runCli } from '../main';
import { describeProposal, fromHex } from './url';

function context(env: NodeJS.ProcessEnv): { ctx: CliContext; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  // A home with no host running: any command that gets past parsing fails to connect.
  const home = join(tmpdir(), `vs-url-${process.pid}-none`);
  const fullEnv = { VOISPEED_HOME: home, ...env };
  return {
    out,
    err,
    ctx: {
      env: fullEnv,
      platform: 'linux',
      paths: resolvePaths({ env: fullEnv, platform: 'linux', homedir: home, tmpdir: tmpdir(), uid: 1000 }),
      homedir: home,
      uid: 1000,
      bundleDir: home,
      nodePath: process.execPath,
      out: (l) => out.push(l),
      err: (l) => err.push(l),
    },
  };
}

describe('voispeed <voispeed:URL>', () => {
  it('--from-env reads the URL from VOISPEED_URL (the Windows launcher) and parses it like an argument', async () => {
    const missing = context({});
    expect(await runCli(['url', '--from-env'], missing.ctx)).toBe(2);
    expect(missing.err).toEqual(['voispeed: expected the voispeed: URL in VOISPEED_URL and no other argument']);
    const both = context({ VOISPEED_URL: 'voispeed:D' });
    expect(await runCli(['url', '--from-env', 'voispeed:D'], both.ctx)).toBe(2);
    const bad = context({ VOISPEED_URL: 'voispeed:0261616161%22$(reboot)' });
    expect(await runCli(['url', '--from-env'], bad.ctx)).toBe(2);
    expect(bad.err[0]).toMatch(/^voispeed: invalid voispeed: URL: /);
    // A good URL gets as far as the host, which is not running here.
    const good = context({ VOISPEED_URL: 'voispeed:C2001' });
    expect(await runCli(['url', '--from-env'], good.ctx)).toBe(1);
    expect(good.err).toHaveLength(1);
    expect(good.err[0]).not.toMatch(/invalid/);
  });

  it('--from-hex reads UTF-16 code units (the MSI launcher) and parses the text like an argument', async () => {
    const hex = (t: string) => [...Array(t.length).keys()].map((i) => t.charCodeAt(i).toString(16).padStart(4, '0')).join('');
    expect(fromHex(hex('voispeed:C2001,é😀'))).toBe('voispeed:C2001,é😀');
    for (const bad of ['', '007', '00zz', '0076 006f']) {
      const c = context({});
      expect(await runCli(['url', '--from-hex', bad], c.ctx), JSON.stringify(bad)).toBe(2);
      expect(c.err[0]).toMatch(/--from-hex expects/);
    }
    const extra = context({});
    expect(await runCli(['url', '--from-hex', hex('voispeed:D'), 'voispeed:D'], extra.ctx)).toBe(2);
    const both = context({ VOISPEED_URL: 'voispeed:D' });
    expect(await runCli(['url', '--from-env', '--from-hex', hex('voispeed:D')], both.ctx)).toBe(2);
    // A quote and a $( ) decode as text and the parser refuses them.
    const hostile = context({});
    expect(await runCli(['url', '--from-hex', hex('voispeed:0261616161"$(reboot)')], hostile.ctx)).toBe(2);
    expect(hostile.err[0]).toMatch(/^voispeed: invalid voispeed: URL: /);
    const good = context({});
    expect(await runCli(['url', '--from-hex', hex('voispeed:C2001')], good.ctx)).toBe(1);
    expect(good.err[0]).not.toMatch(/invalid/);
  });

  it('voispeed:U says the confirmation waits in the browser', () => {
    const text = describeProposal({
      id: '0'.repeat(32),
      source: 'url',
      createdAt: 0,
      expiresAt: 300_000,
      next: { user: 'alice', domain: 'pbx.example', extension: '201', servers: ['wss://pbx.example/ws'], credential: 'ha1', ha1Hint: '0123…' },
      state: 'pending',
    });
    expect(text).toBe('confirm the new account alice@pbx.example (extension 201) in the browser: a VOIspeed page is waiting there (expires in 5 min)');
  });
});
