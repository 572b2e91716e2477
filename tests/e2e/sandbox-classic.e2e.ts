import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../native-host/src/sandbox/ports';
import { sipOptions, tcpAccepts } from '../../native-host/src/sandbox/probes';
import { readSandboxStatus, startSandbox, stopSandbox, type ClassicSandboxStatus } from '../../native-host/src/sandbox';
import { baresipCommand } from '../support/baresip-ctrl';
import { startNatedPhone } from '../support/nated-phone';
import { decodeRecording, sizeOf, startBaresipClient, type BaresipClient } from '../support/baresip-client';
import { runCli } from '../support/cli';
import { sippPath } from '../support/sipp';
import { tempDir } from '../support/temp';
import { peakHz } from '../support/wav';

/**
 * The classic profile end to end: `voispeed sandbox start --classic` (the real CLI), real plain
 * SIP clients (baresip) registered over UDP, TCP and TLS, calls to and from the answering bot with
 * a tone measured at both ends, RFC 4733 DTMF, sipp registering over UDP and TCP, a UDP phone
 * behind a "NAT", a verifying TLS client refusing the self-signed listener, `--address`, and a
 * WebSocket sandbox beside it.
 */
const dir = tempDir('classic');
const home = join(dir.path, 'home');
const sandboxDir = join(home, 'sandbox');
let status: ClassicSandboxStatus;
const clients: Partial<Record<'udp' | 'tcp' | 'tls', BaresipClient>> = {};
/** A tone per transport, so the bot's recording says which caller it heard. */
const TONES = { udp: 440, tcp: 550, tls: 660 } as const;
const USERS = { udp: '1001', tcp: '1002', tls: '1003' } as const;

/** REGISTER, the 401 challenge, REGISTER with credentials, 200; then un-REGISTER so 1004 is free again. */
const REGISTER_SCENARIO = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="register">
${[1, 2, 3]
  .map(
    (cseq) => `  <send retrans="500"><![CDATA[
REGISTER sip:sandbox.voispeed.test SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
From: <sip:[service]@sandbox.voispeed.test>;tag=[pid]reg[call_number]
To: <sip:[service]@sandbox.voispeed.test>
Call-ID: [call_id]
CSeq: ${cseq} REGISTER
Contact: <sip:[service]@[local_ip]:[local_port];transport=[transport]>
Expires: ${cseq === 3 ? 0 : 60}
Max-Forwards: 70
${cseq === 1 ? '' : '[authentication]\n'}Content-Length: 0

]]></send>
  <recv response="${cseq === 1 ? '401" auth="true' : '200'}"/>
`,
  )
  .join('')}</scenario>
`;

/** Polls a condition (a file growing, a log line appearing) until it holds; the timeout only bounds a failure. */
async function until(what: string, cond: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const sipOptionsStatus = (port: number, user: string) => sipOptions(port, user, 'sandbox.voispeed.test', 2000);
const botLog = () => readFileSync(status.processes['baresip-2001'].log, 'utf8');
const kamailioLog = () => readFileSync(status.processes.kamailio.log, 'utf8');
const count = (text: string, re: RegExp) => (text.match(new RegExp(re, 'g')) ?? []).length;
/** 1.5 s of 8 kHz 16-bit mono plus the WAV header: enough for the loudest half second to be the tone. */
const ENOUGH_AUDIO = 44 + 8000 * 2 * 1.5;

/**
 * One call with audio both ways: `dial` starts it (from the client or from the bot), both ends
 * record, `hangup` ends it; resolves with the peak frequency each end heard.
 */
async function callWithAudio(client: BaresipClient, dial: () => Promise<unknown>, hangup: () => Promise<unknown>) {
  const from = client.output().length;
  const botFrom = botLog().length;
  const botEnded = count(botLog(), /terminated/);
  // Each end's recording is the one its own log names after the dial (see decodeRecording: two
  // calls in one second share a file name, so a new name in the folder is not guaranteed).
  const clientRec = () => decodeRecording(client.output(), from, client.recordingsDir);
  const botRec = () => decodeRecording(botLog(), botFrom, status.dir);
  await dial();
  await client.waitFor(/Call established/, 15_000, from);
  await client.waitFor(/incoming rtp for 'audio' established/, 15_000, from);
  await until('the client to record 1.5 s of audio', () => sizeOf(clientRec()) > ENOUGH_AUDIO);
  await until('the bot to record 1.5 s of audio', () => sizeOf(botRec()) > ENOUGH_AUDIO);
  await hangup();
  await client.waitFor(/terminated/, 15_000, from);
  await until('the bot to end the call', () => count(botLog(), /terminated/) > botEnded);
  return {
    clientHeard: peakHz(clientRec() as string),
    botHeard: peakHz(botRec() as string),
  };
}

function tlsHandshake(port: number, ca?: Buffer, host = '127.0.0.1'): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const sock = tlsConnect({ host, port, ca });
    sock.once('secureConnect', () => resolve(sock));
    sock.once('error', reject);
  });
}

beforeAll(async () => {
  const started = await runCli(home, ['sandbox', 'start', '--classic', '--json'], 60_000);
  expect(started.err).toBe('');
  expect(started.code).toBe(0);
  status = JSON.parse(started.out) as ClassicSandboxStatus;
});

afterAll(async () => {
  await Promise.all(Object.values(clients).map((c) => c.close()));
  await stopSandbox(sandboxDir);
  if (!process.env.KEEP_RIG) dir.remove();
});

describe('classic sandbox (SIP over UDP, TCP and TLS, plain RTP)', () => {
  it('starts from the CLI and shows the profile, a sip: URI per transport and the CA file', async () => {
    expect(status).toMatchObject({ profile: 'classic', running: true, dir: sandboxDir, domain: 'sandbox.voispeed.test' });
    const p = status.ports;
    expect(status.sipUris).toEqual({
      udp: `sip:127.0.0.1:${p.kamailioUdp};transport=udp`,
      tcp: `sip:127.0.0.1:${p.kamailioTcp};transport=tcp`,
      tls: `sip:127.0.0.1:${p.kamailioTls};transport=tls`,
      tlsUntrusted: `sip:127.0.0.1:${p.kamailioTlsUntrusted};transport=tls`,
    });
    expect(status.caFile).toBe(join(sandboxDir, 'tls', 'ca.pem'));
    expect(readFileSync(status.caFile, 'utf8')).toContain('BEGIN CERTIFICATE');
    expect(Object.keys(status.processes)).toEqual(['kamailio', 'baresip-2001', 'baresip-3001']);
    expect(existsSync(join(sandboxDir, 'rtpengine.log'))).toBe(false);
    // status --json from a second process reads the same.
    const again = await runCli(home, ['sandbox', 'status', '--json']);
    expect(JSON.parse(again.out)).toEqual(status);
    const text = await runCli(home, ['sandbox', 'status']);
    expect(text.out).toContain(`sip/tls    ${status.sipUris.tls} (trust the CA ${status.caFile})`);
  });

  for (const transport of ['udp', 'tcp', 'tls'] as const) {
    it(`registers a plain SIP phone over ${transport.toUpperCase()}`, async () => {
      // The TCP phone offers A-law only: the bots take G.711 in either law.
      const codecs = transport === 'tcp' ? 'PCMA' : 'PCMU';
      const client = await startBaresipClient({ dir: dir.path, sandbox: status, user: USERS[transport], transport, toneHz: TONES[transport], codecs });
      clients[transport] = client;
      await client.waitFor(new RegExp(`\\{0/${transport.toUpperCase()}/v4\\} 200 OK`));
      expect(kamailioLog()).toMatch(new RegExp(`REQ REGISTER sip:sandbox\\.voispeed\\.test from ${transport}:127\\.0\\.0\\.1:\\d+`));
    });
  }

  for (const transport of ['udp', 'tcp', 'tls'] as const) {
    it(`calls the answering bot over ${transport.toUpperCase()} (any number), plain RTP, a tone heard at each end`, async () => {
      const client = clients[transport] as BaresipClient;
      const heard = await callWithAudio(
        client,
        () => baresipCommand(client.ctrl, 'dial', `sip:0261616161@${status.domain}`),
        () => baresipCommand(client.ctrl, 'hangup'),
      );
      expect(Math.abs(heard.clientHeard.hz - 1000)).toBeLessThan(20);
      expect(heard.clientHeard.rms).toBeGreaterThan(0.05);
      expect(Math.abs(heard.botHeard.hz - TONES[transport])).toBeLessThan(20);
      expect(heard.botHeard.rms).toBeGreaterThan(0.05);
      expect(client.output()).toContain(`Set audio decoder: ${transport === 'tcp' ? 'PCMA' : 'PCMU'} 8000Hz`);
    });
  }

  it('carries RFC 4733 DTMF (telephone-event) from a plain RTP phone to the bot', async () => {
    const client = clients.tls as BaresipClient;
    const events = () => [...botLog().matchAll(/received event: '(.)' \(end=1\)/g)].map((m) => m[1]).join('');
    const before = events().length;
    const from = client.output().length;
    await baresipCommand(client.ctrl, 'dial', `sip:2001@${status.domain}`);
    await client.waitFor(/incoming rtp for 'audio' established/, 15_000, from);
    for (const key of ['1', '5', '#']) {
      const seen = events().length;
      await baresipCommand(client.ctrl, 'sndcode', key);
      await until(`the bot to receive ${key}`, () => events().length > seen);
    }
    expect(events().slice(before)).toBe('15#');
    // The end of the call is read from Kamailio (the phone's 200 to the bot's BYE): after RFC 4733
    // events baresip 1.0 sometimes prints no "terminated" line on either side (1 run in 5 under load).
    const byes = count(kamailioLog(), /RPL 200 BYE from tls:/);
    await baresipCommand(status.users['2001'].ctrl as { host: string; port: number }, 'hangup');
    await until('the phone to answer the bot\'s BYE', () => count(kamailioLog(), /RPL 200 BYE from tls:/) > byes);
  });

  for (const transport of ['tcp', 'tls'] as const) {
    it(`reaches a ${transport.toUpperCase()} phone over its own connection: the bot calls it and hangs up`, async () => {
      const client = clients[transport] as BaresipClient;
      const bot = status.users['2001'].ctrl as { host: string; port: number };
      const heard = await callWithAudio(
        client,
        () => baresipCommand(bot, 'dial', `sip:${client.user}@${status.domain}`),
        () => baresipCommand(bot, 'hangup'),
      );
      expect(Math.abs(heard.clientHeard.hz - 1000)).toBeLessThan(20);
      expect(Math.abs(heard.botHeard.hz - TONES[transport])).toBeLessThan(20);
      // Forwarded to the address the phone's connection came from (its REGISTER's source port), not to a port it listens on.
      const source = new RegExp(`REQ REGISTER sip:sandbox\\.voispeed\\.test from ${transport}:127\\.0\\.0\\.1:(\\d+)`).exec(kamailioLog())?.[1];
      expect(source).toBeDefined();
      expect(kamailioLog()).toContain(`FWD INVITE sip:${client.user}@sandbox.voispeed.test to sip:127.0.0.1:${source};transport=${transport}`);
      expect(kamailioLog()).toMatch(new RegExp(`FWD BYE sip:${client.user}-\\S+ to sip:(\\S+@)?127\\.0\\.0\\.1:\\d+;transport=${transport}`));
    });
  }

  for (const transport of ['u1', 't1'] as const) {
    it.skipIf(!sippPath)(`registers sipp with digest auth (-t ${transport})`, async () => {
      const scenario = join(dir.path, 'register.xml');
      writeFileSync(scenario, REGISTER_SCENARIO);
      const port = transport === 'u1' ? status.ports.kamailioUdp : status.ports.kamailioTcp;
      const { stdout } = await promisify(execFile)(
        sippPath as string,
        [
          `127.0.0.1:${port}`,
          ...['-sf', scenario, '-s', '1004', '-t', transport],
          ...['-i', '127.0.0.1', '-p', String(await freePort(transport === 'u1' ? 'udp' : 'tcp'))],
          ...['-au', '1004', '-ap', status.users['1004'].password],
          ...['-m', '1', '-l', '1', '-timeout', '10s', '-timeout_error', '-nostdin'],
        ],
        { cwd: dir.path, timeout: 15_000 },
      );
      expect(stdout).toMatch(/Successful call\s*\|\s*\d+\s*\|\s*1/);
      expect(kamailioLog()).toMatch(new RegExp(`REQ REGISTER sip:sandbox\\.voispeed\\.test from ${transport === 'u1' ? 'udp' : 'tcp'}:127\\.0\\.0\\.1:\\d+`));
    });
  }

  it('reaches a UDP phone behind a NAT (Via and Contact name a private address) at its source, in-dialog too', async () => {
    const phone = await startNatedPhone({ kamailioUdp: status.ports.kamailioUdp, domain: status.domain, user: '1004', password: status.users['1004'].password });
    try {
      await phone.registered;
      const bot = status.users['2001'].ctrl as { host: string; port: number };
      const before = count(botLog(), /Call established: sip:1004@/);
      await baresipCommand(bot, 'dial', `sip:1004@${status.domain}`);
      await until('the bot to reach 1004', () => count(botLog(), /Call established: sip:1004@/) > before);
      await baresipCommand(bot, 'hangup');
      // The BYE got there: its R-URI (the private Contact) carried the alias of the source address.
      let byeLine: string | undefined;
      void phone.bye.then((line) => (byeLine = line));
      await until('the BYE to reach the phone', () => byeLine !== undefined);
      expect(byeLine).toMatch(/^BYE sip:1004@10\.99\.0\.1:5060/);
      expect(kamailioLog()).toContain(`FWD INVITE sip:1004@sandbox.voispeed.test to sip:127.0.0.1:${phone.port}`);
      expect(kamailioLog()).toMatch(new RegExp(`FWD BYE sip:1004@10\\.99\\.0\\.1:5060\\S* to sip:127\\.0\\.0\\.1:${phone.port}`));
    } finally {
      phone.close();
    }
  });

  it('trusts the TLS listener with the sandbox CA, refuses the self-signed one, and the CA-less client refuses both', async () => {
    const ca = readFileSync(status.caFile);
    const good = await tlsHandshake(status.ports.kamailioTls, ca);
    expect(good.authorized).toBe(true);
    // A real SIP exchange over the verified connection.
    const reply = await new Promise<string>((resolve, reject) => {
      let got = '';
      good.on('data', (d) => {
        got += d.toString();
        if (got.includes('\r\n\r\n')) resolve(got);
      });
      good.once('error', reject);
      const lp = good.localPort as number;
      good.write(
        [
          `OPTIONS sip:${status.domain} SIP/2.0`,
          `Via: SIP/2.0/TLS 127.0.0.1:${lp};branch=z9hG4bKclassice2e;rport`,
          'Max-Forwards: 10',
          `From: <sip:probe@${status.domain}>;tag=e2e`,
          `To: <sip:${status.domain}>`,
          'Call-ID: classic-e2e-options',
          'CSeq: 1 OPTIONS',
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n'),
      );
    });
    good.destroy();
    expect(reply).toMatch(/^SIP\/2\.0 200 /);

    const refused = await tlsHandshake(status.ports.kamailioTlsUntrusted, ca).then(
      (s) => {
        s.destroy();
        return undefined;
      },
      (err: NodeJS.ErrnoException) => err,
    );
    expect(refused?.code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    const noCa = await tlsHandshake(status.ports.kamailioTls).then(
      (s) => {
        s.destroy();
        return undefined;
      },
      (err: NodeJS.ErrnoException) => err,
    );
    expect(noCa?.code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  });

  it('binds another address when asked (--address 127.0.0.2): URIs, certificate and calls follow it', async () => {
    const otherHome = join(dir.path, 'home-at');
    const started = await runCli(otherHome, ['sandbox', 'start', '--classic', '--address', '127.0.0.2', '--json'], 60_000);
    expect(started.code).toBe(0);
    const at = JSON.parse(started.out) as ClassicSandboxStatus;
    try {
      expect(at.address).toBe('127.0.0.2');
      expect(at.sipUris.tls).toBe(`sip:127.0.0.2:${at.ports.kamailioTls};transport=tls`);
      // Nothing of it on 127.0.0.1.
      expect(await tcpAccepts(at.ports.kamailioTcp, 500, '127.0.0.1')).toBe(false);
      const sock = await tlsHandshake(at.ports.kamailioTls, readFileSync(at.caFile), '127.0.0.2');
      expect(sock.authorized).toBe(true);
      sock.destroy();
      const client = await startBaresipClient({ dir: otherHome, sandbox: at, user: '1004', transport: 'tls', toneHz: 770 });
      try {
        await client.waitFor(/\{0\/TLS\/v4\} 200 OK/);
        const from = client.output().length;
        const rec = () => decodeRecording(client.output(), from, client.recordingsDir);
        await baresipCommand(client.ctrl, 'dial', `sip:2001@${at.domain}`);
        // (The bot's RTP socket is not bound to the address: on loopback the kernel sends from 127.0.0.1.)
        await client.waitFor(/incoming rtp for 'audio' established/, 15_000, from);
        await until('the client to record 1.5 s of audio', () => sizeOf(rec()) > ENOUGH_AUDIO);
        await baresipCommand(client.ctrl, 'hangup');
        await client.waitFor(/terminated/, 15_000, from);
        expect(Math.abs(peakHz(rec() as string).hz - 1000)).toBeLessThan(20);
      } finally {
        await client.close();
      }
    } finally {
      await stopSandbox(at.dir);
    }
  });

  it('runs beside a WebSocket sandbox on other ports, and each stops cleanly', async () => {
    const wsDir = join(dir.path, 'ws-sandbox');
    const ws = await startSandbox({ dir: wsDir });
    try {
      expect(ws.profile).toBe('ws');
      expect(ws.running).toBe(true);
      const classicNow = await readSandboxStatus(sandboxDir);
      expect(classicNow?.running).toBe(true);
      const classicPorts = new Set([status.ports.kamailioUdp, status.ports.kamailioTcp, status.ports.kamailioTls, status.ports.kamailioTlsUntrusted, status.ports.kamailioTrunk]);
      for (const port of [ws.ports.kamailioUdp, ws.ports.kamailioWs, ws.ports.kamailioTrunk]) expect(classicPorts.has(port)).toBe(false);
      // (Media blocks are drawn at random among free ones, as between two WebSocket sandboxes: a
      // block whose ports are idle can be drawn twice, about 1 pair in 150; each program then takes
      // other free ports of its range.)
      const wsSip = await sipOptionsStatus(ws.ports.kamailioUdp, '2001');
      expect(wsSip).toBe(200);
      expect(await sipOptionsStatus(status.ports.kamailioUdp, '2001')).toBe(200);
    } finally {
      await stopSandbox(wsDir);
    }
    expect((await readSandboxStatus(wsDir))?.running).toBe(false);
    expect((await readSandboxStatus(sandboxDir))?.running).toBe(true);
  });
});
