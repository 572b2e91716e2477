import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { X11Backend } from '../../native-host/src/hotkeys/x11-backend';
import { startSandbox, stopSandbox, type SandboxStatus } from '../../native-host/src/sandbox';
import { SettingsStore } from '../../native-host/src/settings/settings-store';
import { fakeMediaEngine } from '../support/fake-media';
import { runCli } from '../support/cli';
import { cliBundle, spawnHost, type HostProcess } from '../support/host-process';
import { tempDir } from '../support/temp';
import { setSelection, startXvfb, type Xvfb } from '../support/xvfb';

type Call = { id: string; state: string; remote: { number: string } };
type Status = { backend: string; available: boolean; reason?: string; message?: string; bindings: { action: string; combination: string | null; state: string }[] };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The dial and show hotkeys on a real X server (Xvfb, its own display) with the real host, JsSIP
 * and Kamailio; the browser's media is faked. xdotool presses the keys, xclip holds the selection.
 */
describe('hotkeys on X11 (Xvfb + sandbox)', { timeout: 60_000 }, () => {
  const dir = tempDir('hk');
  const home = join(dir.path, 'home');
  let x: Xvfb;
  let sandbox: SandboxStatus;
  let host: HostProcess;
  let xterm: ChildProcess | undefined;
  const typed = join(dir.path, 'xterm-typed');

  const invites = (number: string) => readFileSync(join(home, 'sandbox', 'kamailio.log'), 'utf8').split('\n').filter((l) => l.includes(`REQ INVITE sip:${number}@`)).length;
  /** Calls the host placed to `number`, by id (Kamailio logs each INVITE twice: before and after the 407). */
  const callsTo = (number: string) => new Set(host.frames.messages.filter((m: any) => m?.event === 'call' && m.data.remote.number === number).map((m: any) => m.data.id)).size;
  /** The first `hotkeys` push from now on that satisfies pred. */
  const statusWhere = (pred: (s: Status) => boolean, what: string, fromNow = false) => {
    const seen = fromNow ? host.frames.messages.length : 0;
    return host.frames
      .waitFor<{ data: Status }>((m) => m?.event === 'hotkeys' && pred(m.data) && host.frames.messages.indexOf(m) >= seen, 10_000, what)
      .then((m) => m.data);
  };
  const lastStatus = () => (host.frames.messages.filter((m: any) => m?.event === 'hotkeys').at(-1) as { data: Status } | undefined)?.data;
  const callEvent = (pred: (c: Call) => boolean, what: string) =>
    host.frames.waitFor<{ data: Call }>((m) => m?.event === 'call' && pred(m.data), 10_000, what).then((m) => m.data);
  const hangupAll = async () => {
    for (const c of ((await host.request('call.list')) as { result: { calls: Call[] } }).result.calls) {
      if (c.state !== 'ended') await host.request('call.hangup', { id: c.id });
    }
  };

  beforeAll(async () => {
    x = await startXvfb(91);
    sandbox = await startSandbox({ dir: join(home, 'sandbox') });
    await new SettingsStore(join(home, 'settings.json')).update((s) => ({ ...s, account: sandbox.account }));
    host = spawnHost(home, x.env);
    fakeMediaEngine(host);
    await host.hello();
    await host.frames.waitFor((m) => m?.event === 'registration' && m.data?.state === 'registered', 15_000, 'registered');
  });
  afterAll(async () => {
    xterm?.kill();
    host?.child.kill('SIGKILL');
    await stopSandbox(join(home, 'sandbox'));
    await x?.stop();
    if (!process.env.KEEP_RIG) dir.remove();
  });

  it('grabs both default combinations', async () => {
    const s = await statusWhere((s) => s.available, 'hotkeys grabbed');
    expect(s).toMatchObject({
      backend: 'x11',
      bindings: [
        { action: 'dial', combination: 'Ctrl+Alt+Shift+D', state: 'grabbed' },
        { action: 'show', combination: 'Ctrl+Alt+Shift+P', state: 'grabbed' },
      ],
    });
  });

  it('dial hotkey: the highlighted number is called, the key never reaches the focused xterm, repeats count once', async () => {
    xterm = spawn('xterm', ['-T', 'hk-xterm', '-e', 'sh', '-c', `stty raw -echo; exec cat > ${typed}`], { env: x.env, stdio: 'ignore' });
    x.run('xdotool', ['search', '--sync', '--name', 'hk-xterm', 'windowfocus', '--sync']);
    // The xterm receives what is typed: the control for the check below.
    x.run('xdotool', ['type', '--delay', '20', 'a']);
    await expect.poll(() => readFileSync(typed, 'utf8'), { timeout: 5000 }).toBe('a');

    setSelection(x, 'tel. 02 6161 6161');
    const before = callsTo('0261616161');
    const invitesBefore = invites('0261616161');
    // Three presses 150 ms apart: one call.
    x.run('xdotool', ['key', '--delay', '150', 'ctrl+alt+shift+d', 'ctrl+alt+shift+d', 'ctrl+alt+shift+d']);
    const call = await callEvent((c) => c.remote.number === '0261616161' && c.state === 'active', 'the hotkey call');
    const shown = await host.frames.waitFor<{ data: { reason: string; callId?: string } }>((m) => m?.event === 'phone.show' && m.data.callId === call.id, 5000, 'phone.show');
    expect(shown.data.reason).toBe('hotkey');
    expect(invites('0261616161')).toBeGreaterThan(invitesBefore);
    await sleep(1200);
    expect(callsTo('0261616161') - before).toBe(1);
    expect(((await host.request('call.list')) as { result: { calls: Call[] } }).result.calls.filter((c) => c.remote.number === '0261616161' && c.state !== 'ended')).toHaveLength(1);

    x.run('xdotool', ['type', '--delay', '20', 'b']);
    await expect.poll(() => readFileSync(typed, 'utf8'), { timeout: 5000 }).toBe('ab');
    await hangupAll();
  });

  it('nothing dialable: no call, and the extension is told what was selected and why', async () => {
    await sleep(1100);
    setSelection(x, 'Mario Rossi, via Roma 1');
    const calls = host.frames.messages.filter((m: any) => m?.event === 'call').length;
    x.run('xdotool', ['key', 'ctrl+alt+shift+d']);
    const refused = await host.frames.waitFor<{ data: { excerpt: string; reason: string } }>((m) => m?.event === 'hotkeys.not-dialable', 5000, 'not-dialable');
    expect(refused.data).toEqual({ excerpt: 'Mario Rossi, via Roma 1', reason: 'not-a-number' });
    // An IBAN without a label: refused with the reason the protocol documents (issue 12).
    await sleep(1100);
    setSelection(x, 'IT60 X054 2811 1010 0000 0123 456');
    x.run('xdotool', ['key', 'ctrl+alt+shift+d']);
    const iban = await host.frames.waitFor<{ data: { excerpt: string; reason: string } }>((m) => m?.event === 'hotkeys.not-dialable' && m !== refused, 5000, 'not-dialable (IBAN)');
    expect(iban.data).toEqual({ excerpt: 'IT60 X054 2811 1010 0000 0123 456', reason: 'tax-or-bank-code' });
    await sleep(300);
    expect(host.frames.messages.filter((m: any) => m?.event === 'call').length).toBe(calls);
  });

  it('falls back to CLIPBOARD when nothing is in PRIMARY, and `voispeed dial-selection` does the same', async () => {
    // PRIMARY holds nothing to read (an empty selection): CLIPBOARD is asked next.
    setSelection(x, '', 'primary');
    setSelection(x, 'int. 2001', 'clipboard');
    await sleep(1100);
    // Asynchronous: the dial answers once the INVITE left, and the fake media engine that makes
    // the offer runs in this process.
    const r = await runCli(home, ['dial-selection', '--json'], 20_000, x.env);
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out) as { outcome: string; call: Call };
    expect(out).toMatchObject({ outcome: 'dialled', call: { remote: { number: '2001' } } });
    await callEvent((c) => c.id === out.call.id && c.state === 'active', 'CLI call active');
    await hangupAll();
    const show = spawnSync(process.execPath, [cliBundle, 'show'], { env: { ...x.env, VOISPEED_HOME: home }, encoding: 'utf8' });
    expect(show.status, show.stderr).toBe(0);
    await host.frames.waitFor((m) => m?.event === 'phone.show' && m.data.reason === 'cli', 5000, 'phone.show from the CLI');
  });

  it('a combination another X client grabbed first is reported in use; a free one is grabbed', async () => {
    const other = await X11Backend.open({ display: x.display });
    try {
      expect((await other.bind([{ action: 'dial', combination: 'Ctrl+Alt+Shift+K' }]))[0]!.state).toBe('grabbed');
      const next = statusWhere((s) => s.bindings[0]?.combination === 'Ctrl+Alt+Shift+K', 'the new bindings', true);
      const set = (await host.request('settings.set', { section: 'hotkeys', value: { enabled: true, dial: 'Ctrl+Alt+Shift+K', show: 'Ctrl+Alt+Shift+J' } })) as { result?: unknown; error?: unknown };
      expect(set.error).toBeUndefined();
      const s = await next;
      expect(s.bindings.map((b) => b.state)).toEqual(['in-use', 'grabbed']);
      const cli = spawnSync(process.execPath, [cliBundle, 'hotkeys'], { env: { ...x.env, VOISPEED_HOME: home }, encoding: 'utf8' });
      expect(cli.stdout).toMatch(/dial\s+Ctrl\+Alt\+Shift\+K\s+in-use/);
      // The old combination is let go: another client can have it now.
      expect((await other.bind([{ action: 'show', combination: 'Ctrl+Alt+Shift+D' }]))[0]!.state).toBe('grabbed');
    } finally {
      await other.close();
    }
    const again = statusWhere((s) => s.bindings[0]?.combination === 'Ctrl+Alt+Shift+D' && s.bindings[0].state === 'grabbed', 'defaults again', true);
    await host.request('settings.set', { section: 'hotkeys', value: { enabled: true, dial: 'Ctrl+Alt+Shift+D', show: 'Ctrl+Alt+Shift+P' } });
    await again;
  });

  it('when the X server goes away the host keeps running and says why', async () => {
    const lost = statusWhere((s) => !s.available, 'hotkeys lost', true);
    await x.stop();
    const s = await lost;
    expect(s).toMatchObject({ available: false, reason: 'x-server', message: expect.stringMatching(/lost the connection/) });
    const st = (await host.request('status')) as { result?: { registration: { state: string } } };
    expect(st.result?.registration.state).toBe('registered');
    expect(lastStatus()?.available).toBe(false);
  });
});

describe('hotkeys without an X server', { timeout: 30_000 }, () => {
  const dir = tempDir('hkn');
  let host: HostProcess;
  afterAll(() => {
    host?.child.kill('SIGKILL');
    dir.remove();
  });

  it('a DISPLAY nobody serves: the host answers, without hotkeys, and reports why', async () => {
    host = spawnHost(join(dir.path, 'a'), { DISPLAY: ':139', WAYLAND_DISPLAY: '', XDG_SESSION_TYPE: '' });
    await host.hello();
    const s = await host.frames.waitFor<{ data: Status }>((m) => m?.event === 'hotkeys' && m.data.reason === 'x-server', 10_000, 'x-server status');
    expect(s.data).toMatchObject({ available: false, message: expect.stringMatching(/:139/) });
    expect(((await host.request('hotkeys.status')) as { result: Status }).result.reason).toBe('x-server');
    expect(((await host.request('ping', { t: 1 })) as { result: { t: number } }).result.t).toBe(1);
  });

  it('no DISPLAY at all', async () => {
    host.child.kill('SIGKILL');
    host = spawnHost(join(dir.path, 'b'), { DISPLAY: '', WAYLAND_DISPLAY: '', XDG_SESSION_TYPE: '' });
    await host.hello();
    const r = (await host.request('hotkeys.status')) as { result: Status };
    expect(r.result).toMatchObject({ available: false, reason: 'no-display' });
  });
});
