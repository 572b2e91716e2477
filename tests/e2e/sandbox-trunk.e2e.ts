import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, stopSandbox, type SandboxStatus } from '../../native-host/src/sandbox';
import { udpExchange } from '../../native-host/src/sandbox/probes';
import { cliBundle } from '../support/host-process';
import { tempDir } from '../support/temp';

/**
 * The sandbox's carrier side, at the SIP level: what gets through without credentials and what
 * does not. INVITEs go to 486 (the sandbox's busy number), so a request that passes the checks
 * gets "486 Busy Here" from the dialplan, and one that does not gets 407, without a call set up.
 */
describe('sandbox trunk port', { timeout: 60_000 }, () => {
  const tmp = tempDir('trunk');
  const home = join(tmp.path, 'home');
  const dir = join(home, 'sandbox');
  let sb: SandboxStatus;

  beforeAll(async () => {
    sb = await startSandbox({ dir });
  });
  afterAll(async () => {
    await stopSandbox(dir);
    tmp.remove();
  });

  /** One request over UDP; resolves with the first final status code (or undefined). */
  async function send(port: number, method: string, ruser: string, from: string, extra: string[] = []): Promise<number | undefined> {
    const target = `sip:${ruser}@${sb.domain}`;
    const msg = [
      `${method} ${target} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:{LPORT};branch=z9hG4bK${randomBytes(8).toString('hex')};rport`,
      'Max-Forwards: 70',
      `From: ${from};tag=${randomBytes(4).toString('hex')}`,
      `To: <${target}>`,
      `Call-ID: ${randomBytes(8).toString('hex')}@127.0.0.1`,
      `CSeq: 1 ${method}`,
      'Contact: <sip:carrier@127.0.0.1:{LPORT}>',
      ...extra,
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    const reply = await udpExchange(port, msg, (r) => /^SIP\/2\.0 [2-6]\d\d /.test(r), 3000);
    return reply ? Number(reply.slice(8, 11)) : undefined;
  }

  it('sandbox status --json shows the trunk port and its URI', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [cliBundle, 'sandbox', 'status', '--json'], { env: { ...process.env, VOISPEED_HOME: home } });
    const status = JSON.parse(stdout) as SandboxStatus;
    expect(status.ports.kamailioTrunk).toBe(sb.ports.kamailioTrunk);
    expect(status.trunkUri).toBe(`sip:127.0.0.1:${sb.ports.kamailioTrunk}`);
    expect(status.ports.kamailioTrunk).not.toBe(status.ports.kamailioUdp);
    const text = await promisify(execFile)(process.execPath, [cliBundle, 'sandbox', 'status'], { env: { ...process.env, VOISPEED_HOME: home } });
    expect(text.stdout).toContain(`trunk      sip:127.0.0.1:${sb.ports.kamailioTrunk}`);
  });

  it('takes INVITEs without credentials and with any caller id on the trunk port', async () => {
    for (const from of ['<sip:0261616161@carrier.test>', '<sip:+390261616161@carrier.test>', '"Anonymous" <sip:anonymous@anonymous.invalid>', '"Mario Rossi" <sip:0612987654@carrier.test>']) {
      expect(await send(sb.ports.kamailioTrunk, 'INVITE', '486', from), from).toBe(486);
    }
    const log = await readFile(join(dir, 'kamailio.log'), 'utf8');
    expect(log).toMatch(/TRUNK INVITE sip:486@sandbox\.voispeed\.test from sip:\+390261616161@carrier\.test display -$/m);
    expect(log).toMatch(/TRUNK INVITE sip:486@sandbox\.voispeed\.test from sip:0612987654@carrier\.test display "Mario Rossi"$/m);
  });

  it('takes them over TCP on the same port number too', async () => {
    const code = await new Promise<number | undefined>((resolve) => {
      const sock = connect(sb.ports.kamailioTrunk, '127.0.0.1');
      let got = '';
      const timer = setTimeout(() => {
        sock.destroy();
        resolve(undefined);
      }, 3000);
      sock.on('connect', () => {
        const { port } = sock.address() as { port: number };
        const target = `sip:486@${sb.domain}`;
        sock.write(
          [
            `INVITE ${target} SIP/2.0`,
            `Via: SIP/2.0/TCP 127.0.0.1:${port};branch=z9hG4bK${randomBytes(8).toString('hex')};rport`,
            'Max-Forwards: 70',
            `From: "Carrier" <sip:0261616161@carrier.test>;tag=${randomBytes(4).toString('hex')}`,
            `To: <${target}>`,
            `Call-ID: ${randomBytes(8).toString('hex')}@127.0.0.1`,
            'CSeq: 1 INVITE',
            `Contact: <sip:carrier@127.0.0.1:${port};transport=tcp>`,
            'Content-Length: 0',
            '',
            '',
          ].join('\r\n'),
        );
      });
      sock.on('data', (d) => {
        got += d.toString();
        const m = /^SIP\/2\.0 ([2-6]\d\d) /m.exec(got);
        if (m) {
          clearTimeout(timer);
          sock.destroy();
          resolve(Number(m[1]));
        }
      });
      sock.on('error', () => resolve(undefined));
    });
    expect(code).toBe(486);
  });

  it('still challenges the same INVITE on the users port, and refuses anything but calls on the trunk', async () => {
    expect(await send(sb.ports.kamailioUdp, 'INVITE', '486', '<sip:0261616161@carrier.test>')).toBe(407);
    expect(await send(sb.ports.kamailioTrunk, 'MESSAGE', '1001', '<sip:0261616161@carrier.test>')).toBe(403);
    expect(await send(sb.ports.kamailioTrunk, 'REGISTER', '1001', '<sip:1001@sandbox.voispeed.test>')).toBe(403);
  });

  it("lets a transfer call through on the users port when one of our users referred it, and only then", async () => {
    const outside = '<sip:0612987654@carrier.test>';
    expect(await send(sb.ports.kamailioUdp, 'INVITE', '486', outside, [`Referred-By: <sip:1001@${sb.domain}>`])).toBe(486);
    expect(await send(sb.ports.kamailioUdp, 'INVITE', '486', outside, ['Referred-By: <sip:0699999999@carrier.test>'])).toBe(407);
    expect(await send(sb.ports.kamailioUdp, 'INVITE', '486', outside, ['Referred-By: garbage'])).toBe(407);
    const log = await readFile(join(dir, 'kamailio.log'), 'utf8');
    expect(log).toMatch(/XFER INVITE sip:486@sandbox\.voispeed\.test referred-by sip:1001@sandbox\.voispeed\.test$/m);
  });
});
