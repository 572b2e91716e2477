import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, stopSandbox, type SandboxStatus } from '../../native-host/src/sandbox';
import { udpExchange } from '../../native-host/src/sandbox/probes';
import { tempDir } from '../support/temp';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

/**
 * A softphone that asks for a GRUU (Linphone sends `Supported: gruu` and +sip.instance) must not get
 * one: it would put the `;gr=` URI in its dialog Contact, and the sandbox cannot route requests to
 * it (the UI's ACK and BYE never reached Linphone). Checked at the SIP level, so it holds even
 * where linphonec is not installed (tests/e2e/linphone-chromium.e2e.ts covers the real phone).
 */
describe('sandbox registrar and GRUU', { timeout: 30_000 }, () => {
  const tmp = tempDir('gruu');
  const dir = join(tmp.path, 'sandbox');
  let sb: SandboxStatus;

  beforeAll(async () => {
    sb = await startSandbox({ dir });
  });
  afterAll(async () => {
    await stopSandbox(dir);
    tmp.remove();
  });

  function register(user: string, callId: string, cseq: number, authorization?: string): string {
    const aor = `sip:${user}@${sb.domain}`;
    return [
      `REGISTER sip:${sb.domain} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:{LPORT};branch=z9hG4bK${randomBytes(8).toString('hex')};rport`,
      'Max-Forwards: 70',
      `From: <${aor}>;tag=${randomBytes(4).toString('hex')}`,
      `To: <${aor}>`,
      `Call-ID: ${callId}`,
      `CSeq: ${cseq} REGISTER`,
      'Supported: replaces, outbound, gruu',
      `Contact: <sip:${user}@127.0.0.1:{LPORT};transport=udp>;+sip.instance="<urn:uuid:${'5f0b6c2e-1111-4a4a-8b8b-0123456789ab'}>"`,
      'Expires: 60',
      ...(authorization ? [authorization] : []),
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
  }

  it('registers a phone that supports GRUU without handing it a pub-gruu or temp-gruu', async () => {
    const user = sb.users['1004'];
    const callId = `${randomBytes(8).toString('hex')}@127.0.0.1`;
    const challenge = await udpExchange(sb.ports.kamailioUdp, register('1004', callId, 1), (r) => /^SIP\/2\.0 401 /.test(r), 3000);
    expect(challenge, 'a 401 challenge').toBeDefined();
    const nonce = /nonce="([^"]+)"/.exec(challenge!)?.[1];
    const qop = /qop="?auth/.test(challenge!);
    expect(nonce).toBeDefined();
    const uri = `sip:${sb.domain}`;
    const ha1 = md5(`${user.authUser}:${user.realm}:${user.password}`);
    const ha2 = md5(`REGISTER:${uri}`);
    const cnonce = randomBytes(4).toString('hex');
    const response = qop ? md5(`${ha1}:${nonce}:00000001:${cnonce}:auth:${ha2}`) : md5(`${ha1}:${nonce}:${ha2}`);
    const auth =
      `Authorization: Digest username="${user.authUser}", realm="${user.realm}", nonce="${nonce}", uri="${uri}", response="${response}"` +
      (qop ? `, qop=auth, nc=00000001, cnonce="${cnonce}"` : '');
    const ok = await udpExchange(sb.ports.kamailioUdp, register('1004', callId, 2, auth), (r) => /^SIP\/2\.0 [2-6]\d\d /.test(r) && !/^SIP\/2\.0 100 /.test(r), 3000);
    expect(ok?.split('\r\n')[0]).toBe('SIP/2.0 200 OK');
    const contact = ok!.split('\r\n').filter((l) => /^(Contact|m):/i.test(l)).join('\n');
    console.log(`REGISTER 200 OK ${contact}`);
    expect(contact).toContain('+sip.instance');
    expect(contact).not.toMatch(/pub-gruu|temp-gruu/);
  });
});
