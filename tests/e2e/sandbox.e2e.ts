import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import JsSIP from 'jssip';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountSchema } from '../../shared/protocol/account';
import { freePort, listeningPorts } from '../../native-host/src/sandbox/ports';
import { sipOptions } from '../../native-host/src/sandbox/probes';
import { readSandboxStatus, startSandbox, stopSandbox, type SandboxStatus } from '../../native-host/src/sandbox';
import { UAC_SCENARIO } from '../support/sipp';
import { tempDir } from '../support/temp';

/** A log file's text once it matches (or whatever it holds after 15 s, for the assertion to show). */
async function logWithin(file: string, pattern: RegExp, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = await readFile(file, 'utf8');
  while (!pattern.test(text) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    text = await readFile(file, 'utf8');
  }
  return text;
}

/**
 * Just enough RTCPeerConnection for JsSIP to place a call (NOTES-ENV.md lists the surface): it
 * offers what a browser would (ICE, DTLS fingerprint, rtcp-mux) and keeps what it is answered, so
 * the test can read the SDP that rtpengine sends toward the WebRTC leg. No media flows.
 */
class SdpOnlyPeerConnection {
  static last: SdpOnlyPeerConnection | undefined;
  localDescription: { type: string; sdp: string } | null = null;
  remoteDescription: { type: string; sdp: string } | null = null;
  signalingState = 'stable';
  iceGatheringState = 'complete';
  iceConnectionState = 'new';
  connectionState = 'new';
  constructor() {
    SdpOnlyPeerConnection.last = this;
  }
  addEventListener(): void {}
  removeEventListener(): void {}
  getSenders(): unknown[] {
    return [];
  }
  getReceivers(): unknown[] {
    return [];
  }
  addTrack(): void {}
  async createOffer() {
    return { type: 'offer', sdp: BROWSER_LIKE_OFFER };
  }
  async createAnswer() {
    return { type: 'answer', sdp: BROWSER_LIKE_OFFER };
  }
  async setLocalDescription(d: { type: string; sdp: string }) {
    this.localDescription = d;
    this.signalingState = d.type === 'offer' ? 'have-local-offer' : 'stable';
  }
  async setRemoteDescription(d: { type: string; sdp: string }) {
    this.remoteDescription = d;
    this.signalingState = d.type === 'offer' ? 'have-remote-offer' : 'stable';
  }
  close(): void {
    this.signalingState = 'closed';
  }
}

const BROWSER_LIKE_OFFER = [
  'v=0',
  'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0',
  'm=audio 40000 UDP/TLS/RTP/SAVPF 0 101',
  'c=IN IP4 127.0.0.1',
  'a=rtcp:9 IN IP4 0.0.0.0',
  'a=candidate:1 1 udp 2122260223 127.0.0.1 40000 typ host generation 0',
  'a=ice-ufrag:e2eT',
  'a=ice-pwd:e2eTestIcePasswordOf24ch',
  'a=fingerprint:sha-256 ' + Array.from({ length: 32 }, (_, i) => (i * 7 + 16).toString(16).padStart(2, '0').toUpperCase()).join(':'),
  'a=setup:actpass',
  'a=mid:0',
  'a=sendrecv',
  'a=rtcp-mux',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:101 telephone-event/8000',
  '',
].join('\r\n');

// JsSIP opens `new WebSocket(url, 'sip')` and checks `window.RTCPeerConnection` before any call.
const g = globalThis as Record<string, unknown>;
g.WebSocket ??= WebSocket;
g.window ??= { RTCPeerConnection: SdpOnlyPeerConnection };
g.RTCPeerConnection ??= SdpOnlyPeerConnection;
g.RTCSessionDescription ??= class {
  type: string;
  sdp: string;
  constructor(init: { type: string; sdp: string }) {
    this.type = init.type;
    this.sdp = init.sdp;
  }
};
JsSIP.debug.disable();

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface Registered {
  ua: InstanceType<typeof JsSIP.UA>;
  stop(): Promise<void>;
}

/** Registers `user` over the sandbox's WebSocket; rejects with JsSIP's cause on failure. */
function register(status: SandboxStatus, user: string, password: string): Promise<Registered> {
  const ua = new JsSIP.UA({
    sockets: [new JsSIP.WebSocketInterface(status.wsUrl)],
    uri: `sip:${user}@${status.domain}`,
    authorization_user: user,
    password,
    realm: status.domain,
    register: true,
    session_timers: false,
    user_agent: 'voispeed-e2e',
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      // Un-REGISTER first, so the next test does not fork calls to this contact.
      ua.once('unregistered', () => resolve());
      ua.once('disconnected', () => resolve());
      ua.stop();
      setTimeout(resolve, 1000);
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${user}: no registration answer`)), 5000);
    ua.once('registered', () => {
      clearTimeout(timer);
      resolve({ ua, stop });
    });
    ua.once('registrationFailed', (e: { cause?: string }) => {
      clearTimeout(timer);
      void stop();
      reject(new Error(`registrationFailed: ${e.cause}`));
    });
    ua.start();
  });
}

/** One baresip ctrl_tcp command (JSON in a netstring), resolving with its response. */
function ctrl(port: number, command: string, params = ''): Promise<{ ok: boolean; data: string }> {
  return new Promise((resolve, reject) => {
    const sock = connect({ port, host: '127.0.0.1' });
    const token = Math.random().toString(36).slice(2);
    let buf = '';
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`ctrl_tcp ${command}: no response`));
    }, 3000);
    sock.on('connect', () => {
      const body = JSON.stringify({ command, params, token });
      sock.write(`${Buffer.byteLength(body)}:${body},`);
    });
    sock.on('data', (d) => {
      buf += d.toString('utf8');
      // Events share the socket; pick our response out of the netstrings.
      for (;;) {
        const m = /^(\d+):/.exec(buf);
        if (!m) return;
        const len = Number(m[1]);
        const start = m[0].length;
        if (buf.length < start + len + 1) return;
        const msg = JSON.parse(buf.slice(start, start + len)) as { response?: boolean; token?: string; ok: boolean; data: string };
        buf = buf.slice(start + len + 1);
        if (msg.response && msg.token === token) {
          clearTimeout(timer);
          sock.destroy();
          resolve(msg);
          return;
        }
      }
    });
    sock.on('error', reject);
  });
}



const sipp = ['/usr/bin/sipp', '/usr/local/bin/sipp'].find((p) => existsSync(p));

/** Live processes whose argv mentions `dir` (Linux /proc); what must be empty after stop. */
function processesMentioning(dir: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const state = readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1]?.[0];
      if (state === 'Z') continue;
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(dir)) out.push(Number(name));
    } catch {
      // exited while we looked
    }
  }
  return out;
}

function pidGone(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] === 'Z';
  } catch {
    return true;
  }
}

/** Every socket a sandbox listens on as "proto:port": a UDP and a TCP socket on one number do not clash. */
function listening(s: SandboxStatus): string[] {
  return listeningPorts(s.ports).map(([proto, port]) => `${proto}:${port}`);
}

function mediaPorts(s: SandboxStatus): Set<number> {
  const out = new Set<number>();
  for (const r of [s.ports.rtpengineRtp, ...Object.values(s.ports.baresip).map((b) => b.rtp)]) {
    for (let port = r.min; port <= r.max; port++) out.add(port);
  }
  return out;
}

describe.skipIf(process.platform !== 'linux')('sandbox PBX (Kamailio + rtpengine + baresip on loopback)', () => {
  const dirA = tempDir('sbx-a');
  const dirB = tempDir('sbx-b');
  let a: SandboxStatus;
  let b: SandboxStatus;
  const pids: number[] = [];

  beforeAll(async () => {
    const t0 = Date.now();
    a = await startSandbox({ dir: dirA.path });
    console.log(`sandbox A started in ${Date.now() - t0} ms`);
  });

  afterAll(async () => {
    // Whatever happened above, leave no PBX behind.
    await stopSandbox(dirA.path).catch(() => undefined);
    await stopSandbox(dirB.path).catch(() => undefined);
    dirA.remove();
    dirB.remove();
  });

  it('reports itself running, with its ports, users and a ready-made account', async () => {
    expect(a.running).toBe(true);
    const again = await readSandboxStatus(dirA.path);
    expect(again?.running).toBe(true);
    expect(again?.processes).toEqual(a.processes);
    for (const proc of Object.values(a.processes)) {
      expect(proc.alive).toBe(true);
      pids.push(proc.pid as number);
    }
    expect(a.wsUrl).toBe(`ws://127.0.0.1:${a.ports.kamailioWs}/ws`);
    expect(accountSchema.parse(a.account).uri).toBe('sip:1001@sandbox.voispeed.test');
    expect(a.account.password).toBe(a.users['1001'].password);
    expect((await stat(join(dirA.path, 'status.json'))).mode & 0o777).toBe(0o600);
    for (const log of ['kamailio.log', 'rtpengine.log', 'baresip-2001.log', 'baresip-3001.log']) {
      expect(existsSync(join(dirA.path, log))).toBe(true);
    }
  });

  it('is idempotent: a second start returns the running sandbox', async () => {
    const again = await startSandbox({ dir: dirA.path });
    expect(again.processes).toEqual(a.processes);
  });

  it('registers a WebSocket UA with the password from status, and refuses a wrong one', async () => {
    const reg = await register(a, '1001', a.users['1001'].password);
    try {
      // Kamailio now reaches 1001 over its WebSocket; JsSIP answers OPTIONS itself.
      expect(await sipOptions(a.ports.kamailioUdp, '1001', a.domain, 1000)).toBe(200);
    } finally {
      await reg.stop();
    }
    await expect(register(a, '1002', 'wrong-password')).rejects.toThrow(/Authentication Error|Forbidden/);
  });

  it.skipIf(!sipp)('routes a number that is not an extension from a UDP phone to the answering bot', async () => {
    const scenario = join(dirA.path, 'uac-auth.xml');
    const fields = join(dirA.path, 'uac-fields.csv');
    await writeFile(scenario, UAC_SCENARIO);
    await writeFile(fields, `SEQUENTIAL\n${a.domain};1004;\n`);
    const [sipPort, mediaPort] = [await freePort('udp'), await freePort('udp')];
    const { stdout } = await promisify(execFile)(
      sipp as string,
      [
        `127.0.0.1:${a.ports.kamailioUdp}`,
        ...['-sf', scenario, '-inf', fields, '-s', '0261616161'],
        ...['-i', '127.0.0.1', '-p', String(sipPort), '-mi', '127.0.0.1', '-mp', String(mediaPort)],
        ...['-au', '1004', '-ap', a.users['1004'].password],
        ...['-m', '1', '-l', '1', '-timeout', '10s', '-timeout_error', '-nostdin'],
      ],
      { cwd: dirA.path, timeout: 15_000 },
    );
    expect(stdout).toMatch(/Successful call\s+\|\s+\d+\s+\|\s+1/);
    const klog = await readFile(join(dirA.path, 'kamailio.log'), 'utf8');
    expect(klog).toMatch(/REQ INVITE sip:0261616161@sandbox\.voispeed\.test from udp:127\.0\.0\.1:\d+$/m);
    expect(klog).toContain('ROUTE sip:0261616161@sandbox.voispeed.test -> sip:2001@sandbox.voispeed.test (not a local extension)');
    expect(klog).toMatch(/FWD INVITE sip:2001@sandbox\.voispeed\.test to sip:\S+@127\.0\.0\.1:\d+$/m);
    expect(klog).toMatch(/RPL 200 INVITE from udp:127\.0\.0\.1:\d+$/m);
    expect(klog).toMatch(/REQ BYE \S+ from udp:127\.0\.0\.1:\d+$/m);
    const botLog = await readFile(join(dirA.path, 'baresip-2001.log'), 'utf8');
    expect(botLog).toContain('Call established: sip:1004@sandbox.voispeed.test');
  });

  it('lets a test make the bot dial 1001: the WebSocket UA gets a WebRTC offer from rtpengine', async () => {
    const reg = await register(a, '1001', a.users['1001'].password);
    try {
      const incoming = new Promise<string>((resolve) => {
        reg.ua.on('newRTCSession', (e: { originator: string; request: { body?: string }; session: { terminate(o: object): void } }) => {
          if (e.originator !== 'remote') return;
          resolve(e.request.body ?? '');
          e.session.terminate({ status_code: 486 });
        });
      });
      const res = await ctrl(a.users['2001'].ctrl?.port as number, 'dial', `sip:1001@${a.domain}`);
      expect(res.ok).toBe(true);
      const sdp = await Promise.race([incoming, sleep(5000).then(() => 'timeout')]);
      expect(sdp).toMatch(/^m=audio \d+ UDP\/TLS\/RTP\/SAVPF /m);
      // DTLS=passive only shows in rtpengine's role once the browser answers; an offer says actpass.
      expect(sdp).toContain('a=setup:actpass');
      expect(sdp).toMatch(/^a=fingerprint:sha-256 /m);
      expect(sdp).toMatch(/^a=candidate:.* 127\.0\.0\.1 /m);
      expect(sdp).toContain('a=rtcp-mux');
      const klog = await readFile(join(dirA.path, 'kamailio.log'), 'utf8');
      expect(klog).toMatch(/FWD INVITE sip:1001@sandbox\.voispeed\.test to sip:127\.0\.0\.1:\d+;transport=ws/);
    } finally {
      await reg.stop();
    }
  });

  it('connects a WebSocket caller dialling any number to the bot, with WebRTC media toward the caller', async () => {
    const reg = await register(a, '1002', a.users['1002'].password);
    try {
      const session = reg.ua.call(`sip:+390261616161@${a.domain}`, { mediaConstraints: { audio: false, video: false } });
      await new Promise<void>((resolve, reject) => {
        session.once('confirmed', () => resolve());
        session.once('failed', (e: { cause?: string }) => reject(new Error(`call failed: ${e.cause}`)));
        setTimeout(() => reject(new Error('call not confirmed in 5 s')), 5000);
      });
      const answer = SdpOnlyPeerConnection.last?.remoteDescription?.sdp ?? '';
      expect(answer).toMatch(/^m=audio \d+ UDP\/TLS\/RTP\/SAVPF 0/m);
      expect(answer).toMatch(/^a=candidate:.* 127\.0\.0\.1 /m);
      expect(answer).toMatch(/^a=setup:(active|passive)/m);
      expect(answer).toContain('a=rtcp-mux');
      await new Promise<void>((resolve) => {
        session.once('ended', () => resolve());
        session.terminate();
      });
      // JsSIP ends the session when it sends the BYE, before Kamailio has logged it; and the bot logs
      // the call when the ACK reaches it through Kamailio: wait for each line.
      const klog = await logWithin(join(dirA.path, 'kamailio.log'), /REQ BYE \S+ from ws:127\.0\.0\.1:\d+$/m);
      expect(klog).toMatch(/REQ INVITE sip:\+390261616161@sandbox\.voispeed\.test from ws:127\.0\.0\.1:\d+$/m);
      expect(klog).toMatch(/REQ BYE \S+ from ws:127\.0\.0\.1:\d+$/m);
      const botLog = await logWithin(join(dirA.path, 'baresip-2001.log'), /Call established: sip:1002@sandbox\.voispeed\.test/);
      expect(botLog).toContain('Call established: sip:1002@sandbox.voispeed.test');
    } finally {
      await reg.stop();
    }
  });

  it('runs a second sandbox side by side on other ports', async () => {
    const t0 = Date.now();
    // Two starts racing on one folder (say `npm start` and a CLI) must yield one sandbox.
    const [b1, b2] = await Promise.all([startSandbox({ dir: dirB.path }), startSandbox({ dir: dirB.path })]);
    console.log(`sandbox B started in ${Date.now() - t0} ms`);
    b = b1;
    expect(b2.processes).toEqual(b1.processes);
    expect(b.running).toBe(true);
    expect((await readSandboxStatus(dirA.path))?.running).toBe(true);
    for (const proc of Object.values(b.processes)) pids.push(proc.pid as number);
    const ours = new Set(listening(a));
    expect(listening(b).filter((socket) => ours.has(socket))).toEqual([]);
    const mediaA = mediaPorts(a);
    for (const port of mediaPorts(b)) expect(mediaA.has(port)).toBe(false);
    expect(b.users['1001'].password).not.toBe(a.users['1001'].password);
    const reg = await register(b, '1001', b.users['1001'].password);
    await reg.stop();
  });

  it('recovers from a killed Kamailio: start restarts the whole sandbox, no orphaned worker left', async () => {
    const old = a.processes.kamailio.pid as number;
    const cfg = join(dirA.path, 'kamailio.cfg');
    // Only the main process: its workers live on, as after a crash.
    process.kill(old, 'SIGKILL');
    await expect.poll(async () => (await readSandboxStatus(dirA.path))?.running, { timeout: 3000 }).toBe(false);
    expect(processesMentioning(cfg).length).toBeGreaterThan(0);
    const password = a.users['1001'].password;
    a = await startSandbox({ dir: dirA.path });
    expect(a.running).toBe(true);
    expect(a.processes.kamailio.pid).not.toBe(old);
    expect(a.users['1001'].password).toBe(password);
    // Only the new Kamailio (main + workers, one process group) mentions the cfg now.
    const group = new Set(processesMentioning(cfg).map((pid) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[2]));
    expect([...group]).toEqual([String(a.processes.kamailio.pid)]);
    for (const proc of Object.values(a.processes)) pids.push(proc.pid as number);
    const reg = await register(a, '1001', password);
    await reg.stop();
  });

  it('stops both and leaves no process behind', async () => {
    const t0 = Date.now();
    await Promise.all([stopSandbox(dirA.path), stopSandbox(dirB.path)]);
    console.log(`both sandboxes stopped in ${Date.now() - t0} ms`);
    expect(pids.length).toBeGreaterThanOrEqual(8);
    for (const pid of pids) expect(pidGone(pid)).toBe(true);
    expect(processesMentioning(dirA.path)).toEqual([]);
    expect(processesMentioning(dirB.path)).toEqual([]);
    const after = await readSandboxStatus(dirA.path);
    expect(after?.running).toBe(false);
    // Passwords survive a stop, so an account saved in the settings keeps working after a restart.
    expect(after?.users['1001'].password).toBe(a.users['1001'].password);
  });
});

describe.skipIf(process.platform !== 'linux')('sandbox start-up failure', () => {
  it('names the process that died, shows its log, and leaves nothing running', async () => {
    const dir = tempDir('sbx-fail');
    try {
      // /bin/false "is" Kamailio: rtpengine starts first and must be stopped again.
      const err = await startSandbox({ dir: dir.path, binaries: { kamailio: '/bin/false' } }).catch((e: Error) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toMatch(/sandbox start failed: kamailio exited during start-up/);
      expect((err as Error).message).toContain('kamailio.log');
      expect(processesMentioning(dir.path)).toEqual([]);
      expect((await readSandboxStatus(dir.path))?.running).toBe(false);
    } finally {
      await stopSandbox(dir.path).catch(() => undefined);
      dir.remove();
    }
  });
});
