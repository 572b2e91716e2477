import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, stopSandbox, type SandboxStatus } from '../../native-host/src/sandbox';
import { SettingsStore } from '../../native-host/src/settings/settings-store';
import { baresipCommand } from '../support/baresip-ctrl';
import { fakeMediaEngine } from '../support/fake-media';
import { runCli } from '../support/cli';
import { spawnHost, type HostProcess } from '../support/host-process';
import { tempDir } from '../support/temp';

type Call = { id: string; state: string; end?: { cause: string; code?: number }; extId?: string; remote: { number: string } };

/** Call signalling through the real host, JsSIP and Kamailio, with the browser's media faked. */
describe('host call engine against the sandbox (media faked)', { timeout: 30_000 }, () => {
  const dir = tempDir('hcalls');
  const home = join(dir.path, 'home');
  let sandbox: SandboxStatus;
  let host: HostProcess;
  let media: ReturnType<typeof fakeMediaEngine>;

  const callEvent = (pred: (c: Call) => boolean, what: string) =>
    host.frames.waitFor<{ data: Call }>((m) => m?.event === 'call' && pred(m.data), 10_000, what).then((m) => m.data);

  beforeAll(async () => {
    sandbox = await startSandbox({ dir: join(home, 'sandbox') });
    await new SettingsStore(join(home, 'settings.json')).update((s) => ({ ...s, account: sandbox.account }));
    host = spawnHost(home);
    media = fakeMediaEngine(host);
    await host.hello();
    await host.frames.waitFor((m) => m?.event === 'registration' && m.data?.state === 'registered', 10_000, 'registered');
  });
  afterAll(async () => {
    host?.child.kill('SIGKILL');
    await stopSandbox(join(home, 'sandbox'));
    dir.remove();
  });

  it('dials 2001 with an external id: the bot answers, the INVITE carries X-VOIspeed-ExtID, hang-up ends it', async () => {
    const reply = (await host.request('call.dial', { number: '2001', extId: 'CRM-42', source: 'cli' })) as { result: { call: Call } };
    const id = reply.result.call.id;
    expect(reply.result.call).toMatchObject({ state: 'dialing', extId: 'CRM-42', remote: { number: '2001' } });
    await callEvent((c) => c.id === id && c.state === 'active', 'active');
    const klog = await readFile(join(home, 'sandbox', 'kamailio.log'), 'utf8');
    expect(klog).toMatch(/REQ INVITE sip:2001@sandbox\.voispeed\.test/);
    expect(klog).toMatch(/HDR X-VOIspeed-ExtID=CRM-42 in INVITE sip:2001@sandbox\.voispeed\.test/);
    const hang = await host.request('call.hangup', { id });
    expect(hang).toHaveProperty('result');
    const ended = await callEvent((c) => c.id === id && c.state === 'ended', 'ended');
    expect(ended.end).toMatchObject({ cause: expect.any(String) });
    await new Promise((r) => setTimeout(r, 200));
    expect(media.openPcs()).toBe(0);
  });

  it('a number that is not an extension is routed to the bot, normalised for dialling', async () => {
    const reply = (await host.request('call.dial', { number: '+39 02 6161 6161', source: 'popup' })) as { result: { call: Call } };
    expect(reply.result.call.remote.number).toBe('0261616161');
    await callEvent((c) => c.id === reply.result.call.id && c.state === 'active', 'active');
    await host.request('call.hangup', {});
    await callEvent((c) => c.id === reply.result.call.id && c.state === 'ended', 'ended');
  });

  it('refuses hostile input with clear errors and places no call', async () => {
    for (const number of ['$(reboot)', '02;rm -rf /', 'sip:a b@c', '']) {
      const r = (await host.request('call.dial', { number, source: 'page' })) as { error?: { code: number; message: string } };
      expect(r.error, number).toBeDefined();
    }
    const bad = (await host.request('call.dial', { number: '2001', extId: 'x\r\nX-Evil: 1', source: 'cli' })) as { error?: { code: number } };
    expect(bad.error?.code).toBe(1005);
    expect(((await host.request('call.list')) as { result: { calls: unknown[] } }).result.calls).toEqual([]);
  });

  it('an incoming call from the bot rings, is answered, and ends when the bot hangs up', async () => {
    const ctrl = sandbox.users['2001'].ctrl!;
    const send = (command: string, params = '') => baresipCommand(ctrl, command, params);
    await send('dial', `sip:1001@${sandbox.domain}`);
    const ringing = await callEvent((c) => c.state === 'ringing-in', 'ringing-in');
    expect(media.requests.some((r) => r.method === 'media.ring' && r.params.on === true)).toBe(true);
    await host.request('call.answer', { id: ringing.id });
    await callEvent((c) => c.id === ringing.id && c.state === 'active', 'answered');
    expect(media.requests.some((r) => r.method === 'media.ring' && r.params.on === false)).toBe(true);
    await send('hangup');
    const ended = await callEvent((c) => c.id === ringing.id && c.state === 'ended', 'ended by the bot');
    expect(ended.end).toMatchObject({ originator: 'remote' });
  });
  it('the voispeed CLI and voispeed: URLs drive calls on the running host', async () => {
    // Not spawnSync: the fake media engine runs in this process (tests/support/cli.ts).
    const cli = (...args: string[]) => runCli(home, args);
    const placed = await cli('voispeed:0261616161,CRM-42', '--json');
    expect(placed.code, placed.err).toBe(0);
    const call = JSON.parse(placed.out) as Call;
    expect(call).toMatchObject({ extId: 'CRM-42', remote: { number: '0261616161' } });
    await callEvent((c) => c.id === call.id && c.state === 'active', 'active');
    const klog = await readFile(join(home, 'sandbox', 'kamailio.log'), 'utf8');
    expect(klog).toMatch(/HDR X-VOIspeed-ExtID=CRM-42 in INVITE sip:0261616161@/);
    const listed = JSON.parse((await cli('calls', '--json')).out) as Call[];
    expect(listed.map((c) => c.id)).toContain(call.id);
    expect((await cli('voispeed:D')).code).toBe(0);
    await callEvent((c) => c.id === call.id && c.state === 'ended', 'ended by voispeed:D');

    const second = JSON.parse((await cli('call', '2001', '--json')).out) as Call;
    await callEvent((c) => c.id === second.id && c.state === 'active', 'active');
    expect((await cli('hangup', second.id)).code).toBe(0);
    await callEvent((c) => c.id === second.id && c.state === 'ended', 'ended by id');

    const bad = await cli('voispeed:$(touch /tmp/pwned)');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^voispeed: invalid voispeed: URL/);
    const none = await cli('hangup');
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/no call/);
  });
});

describe('calls that fail end with a clear result', { timeout: 30_000 }, () => {
  const dir = tempDir('hfail');
  const home = join(dir.path, 'home');
  let host: HostProcess;

  beforeAll(async () => {
    const sandbox = await startSandbox({ dir: join(home, 'sandbox') });
    await new SettingsStore(join(home, 'settings.json')).update((s) => ({ ...s, account: sandbox.account }));
    host = spawnHost(home);
    fakeMediaEngine(host);
    await host.hello();
    await host.frames.waitFor((m) => m?.event === 'registration' && m.data?.state === 'registered', 10_000, 'registered');
  });
  afterAll(async () => {
    host?.child.kill('SIGKILL');
    await stopSandbox(join(home, 'sandbox'));
    dir.remove();
  });

  for (const [number, code, cause] of [
    ['486', 486, 'Busy'],
    ['404', 404, 'Not Found'],
    ['603', 603, 'Rejected'],
    ['480', 480, 'Unavailable'],
  ] as const) {
    it(`${number} → ended, ${cause} (${code})`, async () => {
      const r = (await host.request('call.dial', { number, source: 'cli' })) as { result: { call: Call } };
      const ended = await host.frames
        .waitFor<{ data: Call }>((m) => m?.event === 'call' && m.data.id === r.result.call.id && m.data.state === 'ended', 10_000, 'ended')
        .then((m) => m.data);
      expect(ended.end).toMatchObject({ originator: 'remote', cause, code });
    });
  }
});
