import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../shared/protocol/account';
import { startSandbox, stopSandbox, type SandboxStatus } from '../../native-host/src/sandbox';
import { SettingsStore } from '../../native-host/src/settings/settings-store';
import { baresipCommand } from '../support/baresip-ctrl';
import { runCli } from '../support/cli';
import { fakeMediaEngine } from '../support/fake-media';
import { spawnHost, type HostProcess } from '../support/host-process';
import { tcpRelay, udpRelay, type TcpRelay, type UdpRelay } from '../support/sip-relay';
import { tempDir } from '../support/temp';

type Call = { id: string; state: string; remote: { number: string } };
type Reg = { state: string; cause?: string };

/**
 * Direct SIP (DESIGN section 11) against the real sandbox Kamailio: the host registers over UDP or
 * TCP (no WebSocket), an incoming call from a baresip far end rings on the host, calls go out, and
 * bad bytes on the path leave it running and registered. Media is the gateway's job (faked here).
 */
function rig(tag: string, server: (s: SandboxStatus) => string | Promise<string>) {
  const dir = tempDir(tag);
  const home = join(dir.path, 'home');
  const state = { sandbox: undefined as unknown as SandboxStatus, host: undefined as unknown as HostProcess };
  const regEvent = (pred: (r: Reg) => boolean, what: string, from = 0, ms = 15_000) =>
    state.host.frames
      .waitFor<{ data: Reg }>((m) => m?.event === 'registration' && state.host.frames.messages.indexOf(m) >= from && pred(m.data), ms, what)
      .then((m) => m.data);
  const callEvent = (pred: (c: Call) => boolean, what: string, ms = 15_000) =>
    state.host.frames.waitFor<{ data: Call }>((m) => m?.event === 'call' && pred(m.data), ms, what).then((m) => m.data);
  const kamailioLog = () => readFile(join(home, 'sandbox', 'kamailio.log'), 'utf8');
  const status = async () => JSON.parse((await runCli(home, ['status', '--json'])).out) as { registration: Reg & { account?: { server: string } } };
  beforeAll(async () => {
    state.sandbox = await startSandbox({ dir: join(home, 'sandbox') });
    const account: Account = { ...state.sandbox.account, wsUrls: [await server(state.sandbox)] };
    await new SettingsStore(join(home, 'settings.json')).update((s) => ({ ...s, account }));
    state.host = spawnHost(home);
    fakeMediaEngine(state.host, 40000, { webrtc: true });
    await state.host.hello();
  });
  afterAll(async () => {
    state.host?.child.kill('SIGKILL');
    await stopSandbox(join(home, 'sandbox'));
    dir.remove();
  });
  return { state, home, regEvent, callEvent, kamailioLog, status };
}

async function incomingCallRings(r: ReturnType<typeof rig>) {
  const ctrl = r.state.sandbox.users['2001'].ctrl!;
  await baresipCommand(ctrl, 'dial', `sip:1001@${r.state.sandbox.domain}`);
  const ringing = await r.callEvent((c) => c.state === 'ringing-in', 'ringing-in');
  await r.state.host.request('call.answer', { id: ringing.id });
  await r.callEvent((c) => c.id === ringing.id && c.state === 'active', 'answered');
  await baresipCommand(ctrl, 'hangup');
  await r.callEvent((c) => c.id === ringing.id && c.state === 'ended', 'ended by the far end');
}

describe('direct SIP over UDP', { timeout: 60_000 }, () => {
  let relay: UdpRelay;
  const r = rig('dsip-udp', async (s) => {
    relay = await udpRelay(s.ports.kamailioUdp);
    return `sip:127.0.0.1:${relay.port};transport=udp`;
  });
  afterAll(() => relay?.close());

  it('registers over UDP with its real address in Via and Contact; voispeed status --json says registered', async () => {
    await r.regEvent((g) => g.state === 'registered', 'registered over UDP');
    const st = await r.status();
    expect(st.registration).toMatchObject({ state: 'registered', account: { server: `127.0.0.1:${relay.port}` } });
    const log = await r.kamailioLog();
    expect(log).toMatch(/REQ REGISTER \S+ from udp:127\.0\.0\.1:\d+$/m);
    const register = relay.fromClient().find((m) => m.startsWith('REGISTER '))!;
    const port = relay.client()!.port;
    expect(register).toMatch(new RegExp(`^Via: SIP/2\\.0/UDP 127\\.0\\.0\\.1:${port};rport;branch=`, 'm'));
    expect(register).toMatch(new RegExp(`^Contact: <sip:1001@127\\.0\\.0\\.1:${port};transport=udp>`, 'm'));
  });

  it('an incoming call reaches the host (ringing, answered, ended by the far end), and a call goes out', async () => {
    await incomingCallRings(r);
    const reply = (await r.state.host.request('call.dial', { number: '2001', source: 'cli' })) as { result: { call: Call } };
    await r.callEvent((c) => c.id === reply.result.call.id && c.state === 'active', 'outgoing active');
    await r.state.host.request('call.hangup', { id: reply.result.call.id });
    await r.callEvent((c) => c.id === reply.result.call.id && c.state === 'ended', 'outgoing ended');
  });

  it('a datagram that is not SIP, a cut one and a 60 KB header leave it running and registered', async () => {
    relay.injectToClient(Buffer.from('\x00\x01\x02 hello, not SIP'));
    relay.injectToClient(Buffer.from('SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKx\r\nContent-Length: 50\r\n\r\nshort'));
    relay.injectToClient(Buffer.from(`OPTIONS sip:1001@127.0.0.1 SIP/2.0\r\nX-Big: ${'a'.repeat(60_000)}\r\nContent-Length: 0\r\n\r\n`));
    // The host's log names each drop; then it still answers and is still registered.
    const logFile = join(r.home, 'logs', 'host.log');
    await expect.poll(async () => (await readFile(logFile, 'utf8').catch(() => '')).match(/UDP datagram dropped/g)?.length ?? 0, { timeout: 10_000, interval: 200 }).toBe(3);
    expect(r.state.host.child.exitCode).toBeNull();
    expect((await r.status()).registration.state).toBe('registered');
    await incomingCallRings(r);
  });
});

describe('direct SIP over TCP', { timeout: 60_000 }, () => {
  const r = rig('dsip-tcp', (s) => `sip:127.0.0.1:${s.ports.kamailioWs};transport=tcp`);

  it('registers over TCP and an incoming call rings on the host', async () => {
    await r.regEvent((g) => g.state === 'registered', 'registered over TCP');
    expect(await r.kamailioLog()).toMatch(/REQ REGISTER \S+ from tcp:127\.0\.0\.1:\d+$/m);
    expect((await r.status()).registration.state).toBe('registered');
    await incomingCallRings(r);
  });
});

describe('direct SIP over TCP: bad bytes on the stream', { timeout: 60_000 }, () => {
  let relay: TcpRelay;
  const r = rig('dsip-tcpbad', async (s) => {
    relay = await tcpRelay(s.ports.kamailioWs);
    return `sip:127.0.0.1:${relay.port};transport=tcp`;
  });
  afterAll(() => relay?.close());

  for (const [what, bytes, close] of [
    ['a message cut in the middle (connection dropped)', Buffer.from('SIP/2.0 200 OK\r\nVia: SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKcut\r\nContent-Le'), true],
    ['a 64 KB header', Buffer.from(`OPTIONS sip:1001@127.0.0.1 SIP/2.0\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n`), false],
    ['bytes that are not SIP', Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), false],
  ] as const) {
    it(`${what}: the connection is reset, the host reconnects and registers again`, async () => {
      await r.regEvent((g) => g.state === 'registered', 'registered');
      const from = r.state.host.frames.messages.length;
      const accepted = relay.accepted();
      relay.injectToClient(bytes, close);
      await r.regEvent((g) => g.state !== 'registered', 'lost the connection', from);
      await r.regEvent((g) => g.state === 'registered', 'registered again', from);
      expect(relay.accepted()).toBeGreaterThan(accepted);
      expect(r.state.host.child.exitCode).toBeNull();
    });
  }
});
