import { execFile } from 'node:child_process';
import { readFile, rm, stat, writeFile, mkdtemp } from 'node:fs/promises';
import { X509Certificate } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureTlsFiles, opensslCommands, tlsFiles } from './tls-certs';
import { SANDBOX_DOMAIN } from './users';

const run = promisify(execFile);
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'voispeed-tls-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const cert = async (path: string) => new X509Certificate(await readFile(path));

describe('sandbox TLS files', () => {
  it('makes a CA and a server certificate it signed, for 127.0.0.1 and the sandbox domain', async () => {
    const f = await ensureTlsFiles(dir, SANDBOX_DOMAIN);
    const ca = await cert(f.caFile);
    const server = await cert(f.certFile);
    expect(ca.ca).toBe(true);
    expect(server.ca).toBe(false);
    expect(server.checkIssued(ca)).toBe(true);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(server.checkHost(SANDBOX_DOMAIN)).toBe(SANDBOX_DOMAIN);
    expect(server.checkHost('example.com')).toBeUndefined();
    expect((await stat(f.dir)).mode & 0o777).toBe(0o700);
    expect((await run('openssl', ['verify', '-CAfile', f.caFile, f.certFile])).stdout).toContain('OK');
  });

  it('makes a self-signed certificate with the same names that the CA does not vouch for', async () => {
    const f = await ensureTlsFiles(dir, SANDBOX_DOMAIN);
    const ca = await cert(f.caFile);
    const untrusted = await cert(f.untrustedCertFile);
    expect(untrusted.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(untrusted.checkIssued(ca)).toBe(false);
    expect(untrusted.checkIssued(untrusted)).toBe(true);
    await expect(run('openssl', ['verify', '-CAfile', f.caFile, f.untrustedCertFile])).rejects.toThrow();
  });

  it('keeps a still valid set across restarts (an imported CA stays good), and remakes what is broken', async () => {
    const first = await ensureTlsFiles(dir, SANDBOX_DOMAIN);
    const caPem = await readFile(first.caFile, 'utf8');
    const serverPem = await readFile(first.certFile, 'utf8');
    await ensureTlsFiles(dir, SANDBOX_DOMAIN);
    expect(await readFile(first.caFile, 'utf8')).toBe(caPem);
    expect(await readFile(first.certFile, 'utf8')).toBe(serverPem);
    // A broken server certificate: made again, signed by the same CA.
    await writeFile(first.certFile, 'not a certificate');
    await ensureTlsFiles(dir, SANDBOX_DOMAIN);
    expect(await readFile(first.caFile, 'utf8')).toBe(caPem);
    expect((await cert(first.certFile)).checkIssued(await cert(first.caFile))).toBe(true);
    // A broken CA: everything made again, the new server certificate signed by the new CA.
    await writeFile(first.caFile, 'not a certificate');
    await ensureTlsFiles(dir, SANDBOX_DOMAIN);
    expect(await readFile(first.caFile, 'utf8')).not.toBe(caPem);
    expect((await cert(first.certFile)).checkIssued(await cert(first.caFile))).toBe(true);
  });

  it('names another bind address too, and moving there remakes the server certificates but keeps the CA', async () => {
    const first = await ensureTlsFiles(dir, SANDBOX_DOMAIN);
    const caPem = await readFile(first.caFile, 'utf8');
    expect((await cert(first.certFile)).checkIP('10.9.0.2')).toBeUndefined();
    await ensureTlsFiles(dir, SANDBOX_DOMAIN, { address: '10.9.0.2' });
    expect(await readFile(first.caFile, 'utf8')).toBe(caPem);
    const server = await cert(first.certFile);
    expect(server.checkIP('10.9.0.2')).toBe('10.9.0.2');
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(server.checkIssued(await cert(first.caFile))).toBe(true);
    expect((await cert(first.untrustedCertFile)).checkIP('10.9.0.2')).toBe('10.9.0.2');
    await expect(ensureTlsFiles(dir, SANDBOX_DOMAIN, { address: '10.9.0.2,DNS:evil' })).rejects.toThrow(/unsafe address/);
  });

  it('runs openssl with fixed arguments and refuses a domain that is not a plain host name', async () => {
    const cmds = opensslCommands(tlsFiles('/s'), SANDBOX_DOMAIN);
    expect(cmds).toHaveLength(3);
    expect(cmds[1]).toEqual(expect.arrayContaining(['-CA', '/s/tls/ca.pem', '-CAkey', '/s/tls/ca.key', 'subjectAltName=IP:127.0.0.1,DNS:sandbox.voispeed.test']));
    await expect(ensureTlsFiles(dir, 'x,DNS:evil.com')).rejects.toThrow(/unsafe domain/);
  });

  it('names openssl in the error when it is missing', async () => {
    await expect(ensureTlsFiles(dir, SANDBOX_DOMAIN, { openssl: '/nonexistent/openssl' })).rejects.toThrow(/openssl req failed/);
  });
});
