import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createNetServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAUSE_TLS_CERT, CAUSE_TLS_TIMEOUT, connectStream, TransportFailure } from './stream-connect';

/** Real TLS handshakes on loopback against certificates made here with openssl. */
describe('connectStream (TLS verification, never "accept all")', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vs-tls-'));
  const servers: Server[] = [];
  const cert = (name: string, san: string) => {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, `${name}.key`), '-out', join(dir, `${name}.pem`), '-days', '2', '-subj', `/CN=${name}`, '-addext', `subjectAltName=${san}`], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, `${name}.key`)), cert: readFileSync(join(dir, `${name}.pem`)), file: join(dir, `${name}.pem`) };
  };
  const listen = (server: Server) =>
    new Promise<number>((resolve) => {
      servers.push(server);
      server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
    });
  const target = (port: number, servername = '127.0.0.1') => ({ transport: 'tls' as const, address: '127.0.0.1', port, servername });
  const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as TransportFailure);

  let selfSigned: ReturnType<typeof cert>;
  let selfPort: number;
  beforeAll(async () => {
    selfSigned = cert('pbx-self', 'IP:127.0.0.1,DNS:pbx.example');
    selfPort = await listen(createTlsServer({ key: selfSigned.key, cert: selfSigned.cert }, (s) => s.end()));
  });
  afterAll(() => {
    for (const s of servers) s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a self-signed certificate the system store does not know', async () => {
    const err = await failure(connectStream(target(selfPort), { timeoutMs: 5000 }));
    expect(err).toBeInstanceOf(TransportFailure);
    expect(err!.reason).toMatch(new RegExp(`^${CAUSE_TLS_CERT}: .*self.signed.*\\(DEPTH_ZERO_SELF_SIGNED_CERT\\)$`, 'i'));
    expect(err!.permanent).toBe(true);
  });

  it('accepts it once its CA file is set in the account, by IP and by name', async () => {
    const socket = await connectStream(target(selfPort), { timeoutMs: 5000, tlsCaFile: selfSigned.file });
    socket.destroy();
    const byName = await connectStream(target(selfPort, 'pbx.example'), { timeoutMs: 5000, tlsCaFile: selfSigned.file });
    byName.destroy();
  });

  it('refuses a trusted certificate issued for another name', async () => {
    const err = await failure(connectStream(target(selfPort, 'other.example'), { timeoutMs: 5000, tlsCaFile: selfSigned.file }));
    expect(err!.reason).toBe(`${CAUSE_TLS_CERT}: the certificate is for another name (ERR_TLS_CERT_ALTNAME_INVALID)`);
  });

  it('a handshake that stalls times out with its own cause', async () => {
    const silent = await listen(createNetServer(() => undefined));
    const t0 = Date.now();
    const err = await failure(connectStream(target(silent), { timeoutMs: 300, tlsCaFile: selfSigned.file }));
    expect(err!.reason).toBe(`${CAUSE_TLS_TIMEOUT}: 127.0.0.1:${silent}`);
    expect(err!.permanent).toBe(false);
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it('a CA file that is missing or not PEM is a clear error, not a silent "trust nothing"', async () => {
    expect((await failure(connectStream(target(selfPort), { timeoutMs: 5000, tlsCaFile: join(dir, 'nope.pem') })))!.reason).toMatch(/^TLS Certificate Error: cannot read the CA file .*nope\.pem \(ENOENT\)$/);
    expect((await failure(connectStream(target(selfPort), { timeoutMs: 5000, tlsCaFile: join(dir, 'pbx-self.key') })))!.reason).toMatch(/holds no PEM certificate$/);
  });

  it('a closed port is a connection error that a retry may cure', async () => {
    const closed = await listen(createNetServer());
    servers.pop()!.close();
    await new Promise((r) => setTimeout(r, 50));
    const err = await failure(connectStream({ transport: 'tcp', address: '127.0.0.1', port: closed, servername: '127.0.0.1' }, { timeoutMs: 2000 }));
    expect(err!.reason).toBe('Connection Error: ECONNREFUSED');
    expect(err!.permanent).toBe(false);
  });
});
