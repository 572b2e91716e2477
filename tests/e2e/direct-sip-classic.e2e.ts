import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../shared/protocol/account';
import { startSandbox, stopSandbox, type ClassicSandboxStatus } from '../../native-host/src/sandbox';
import { SettingsStore } from '../../native-host/src/settings/settings-store';
import { baresipCommand } from '../support/baresip-ctrl';
import { runCli } from '../support/cli';
import { fakeMediaEngine } from '../support/fake-media';
import { spawnHost, type HostProcess } from '../support/host-process';
import { tempDir } from '../support/temp';

type Call = { id: string; state: string };
type Reg = { state: string; cause?: string; code?: number };

/**
 * Direct SIP against the classic sandbox (`sandbox start --classic`: Kamailio with UDP, TCP and TLS
 * listeners, no rtpengine, plain-RTP baresip far ends). Each transport: registered as
 * `voispeed status --json` shows it, an incoming call rings on the host; TLS with an untrusted
 * certificate: no registration and the TLS cause; the PBX restarted: registered again ≤ 5 s.
 * Audio is the media gateway's job (faked here).
 */
describe('direct SIP against the classic sandbox', { timeout: 90_000 }, () => {
  const dir = tempDir('dsip-classic');
  const home = join(dir.path, 'home');
  let sandbox: ClassicSandboxStatus;
  let host: HostProcess;

  const regEvent = (pred: (r: Reg) => boolean, what: string, from: number, ms = 15_000) =>
    host.frames
      .waitFor<{ data: Reg }>((m) => m?.event === 'registration' && host.frames.messages.indexOf(m) >= from && pred(m.data), ms, what)
      .then((m) => m.data);
  const callEvent = (pred: (c: Call) => boolean, what: string, from: number) =>
    host.frames.waitFor<{ data: Call }>((m) => m?.event === 'call' && host.frames.messages.indexOf(m) >= from && pred(m.data), 15_000, what).then((m) => m.data);
  const status = async () => JSON.parse((await runCli(home, ['status', '--json'])).out) as { registration: Reg };
  /** Saves the account as the CLI does; the running host re-registers with it. */
  const useServer = async (server: string, extra: string[] = []) => {
    const from = host.frames.messages.length;
    const r = await runCli(home, ['account', 'set', '--server', server, '--uri', sandbox.account.uri, '--password-stdin', ...extra], 30_000, process.env, sandbox.account.password);
    expect(r.code, r.err).toBe(0);
    return from;
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ dir: join(home, 'sandbox'), profile: 'classic' });
    const account: Account = sandbox.account;
    await new SettingsStore(join(home, 'settings.json')).update((s) => ({ ...s, account }));
    host = spawnHost(home);
    fakeMediaEngine(host, 40000, { webrtc: true });
    await host.hello();
  });
  afterAll(async () => {
    host?.child.kill('SIGKILL');
    await stopSandbox(join(home, 'sandbox'));
    dir.remove();
  });

  async function incomingCallRings(from: number) {
    const ctrl = sandbox.users['2001'].ctrl!;
    await baresipCommand(ctrl, 'dial', `sip:1001@${sandbox.domain}`);
    const ringing = await callEvent((c) => c.state === 'ringing-in', 'ringing-in', from);
    expect((await runCli(home, ['calls', '--json'])).out).toContain(ringing.id);
    await host.request('call.answer', { id: ringing.id });
    await callEvent((c) => c.id === ringing.id && c.state === 'active', 'answered', from);
    await baresipCommand(ctrl, 'hangup');
    await callEvent((c) => c.id === ringing.id && c.state === 'ended', 'ended by the far end', from);
  }

  for (const transport of ['udp', 'tcp', 'tls'] as const) {
    it(`${transport.toUpperCase()}: registered (voispeed status --json), an incoming call rings on the host`, async () => {
      const t0 = Date.now();
      const from = transport === 'udp' ? 0 : await useServer(sandbox.sipUris[transport], transport === 'tls' ? ['--tls-ca-file', sandbox.caFile] : []);
      await regEvent((r) => r.state === 'registered', `registered over ${transport}`, from);
      if (transport !== 'udp') console.log(`${transport}: registered ${Date.now() - t0} ms after voispeed account set started (CLI start-up included)`);
      expect((await status()).registration.state).toBe('registered');
      const klog = await readFile(join(home, 'sandbox', 'kamailio.log'), 'utf8');
      expect(klog).toMatch(new RegExp(`REQ REGISTER \\S+ from ${transport}:127\\.0\\.0\\.1:\\d+$`, 'm'));
      await incomingCallRings(from);
    });
  }

  it('TLS: the PBX restarted → registered again within 5 s of it being back', async () => {
    const from = host.frames.messages.length;
    process.kill(-sandbox.processes.kamailio.pid!, 'SIGKILL');
    await regEvent((r) => r.state !== 'registered', 'lost the PBX', from);
    const back = host.frames.messages.length;
    sandbox = await startSandbox({ dir: join(home, 'sandbox'), profile: 'classic' });
    const t0 = Date.now();
    await regEvent((r) => r.state === 'registered', 'registered again', back, 5_000);
    console.log(`TLS: registered again ${Date.now() - t0} ms after Kamailio was back`);
  });

  it('UDP: the PBX restarted → noticed at the next keep-alive, registered again within 5 s of it being back', async () => {
    let from = await useServer(sandbox.sipUris.udp);
    await regEvent((r) => r.state === 'registered', 'registered over udp', from);
    from = host.frames.messages.length;
    process.kill(-sandbox.processes.kamailio.pid!, 'SIGKILL');
    // Nothing arrives over UDP when a PBX dies: the next keep-alive (≤ 20 s) meets an ICMP "port unreachable".
    await regEvent((r) => r.state !== 'registered', 'lost the PBX', from, 30_000);
    const back = host.frames.messages.length;
    sandbox = await startSandbox({ dir: join(home, 'sandbox'), profile: 'classic' });
    const t0 = Date.now();
    await regEvent((r) => r.state === 'registered', 'registered again', back, 5_000);
    console.log(`UDP: registered again ${Date.now() - t0} ms after Kamailio was back`);
    await incomingCallRings(back);
  });

  it('TLS with an untrusted (self-signed) certificate: no registration, the TLS cause in voispeed status', async () => {
    const from = await useServer(sandbox.sipUris.tlsUntrusted, ['--tls-ca-file', sandbox.caFile]);
    const failed = await regEvent((r) => r.state === 'failed', 'failed', from);
    expect(failed.cause).toMatch(/^TLS Certificate Error: .*self.signed/i);
    const st = await status();
    // 3006 TLS_CERTIFICATE: what the popup translates ("the PBX's TLS certificate is not trusted …").
    expect(st.registration).toMatchObject({ state: 'failed', code: 3006, cause: expect.stringMatching(/^TLS Certificate Error/) });
    const text = await runCli(home, ['status']);
    expect(text.out).toMatch(/failed as 1001 on 127\.0\.0\.1:\d+: TLS Certificate Error/);
    // JsSIP keeps retrying; the state stays "failed" with the same cause, never "registered".
    await new Promise((r) => setTimeout(r, 3000));
    const seen = host.frames.messages.slice(from) as { event?: string; data?: Reg }[];
    expect(seen.some((m) => m?.event === 'registration' && m.data?.state === 'registered')).toBe(false);
  });
});
