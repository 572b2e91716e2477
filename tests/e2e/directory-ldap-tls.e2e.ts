import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { numberForms } from '../../shared/phone/number-forms';
import { ldapSettingsSchema, type LdapSettings } from '../../shared/settings/directory';
import { ldapLookup, ldapSearch } from '../../native-host/src/directory/ldap-directory';
import { startSandboxDirectory, stopSandboxDirectory, type SandboxDirectory } from '../../native-host/src/sandbox/slapd';
import { tempDir } from '../support/temp';

/**
 * The LDAP client against a real slapd over TLS (issue 18): ldaps:// and StartTLS on ldap://, the
 * server's certificate checked against the CA given in the settings (a private CA, as offices
 * have), refused without it. Certificates made here with openssl; slapd is the sandbox's.
 */
const run = promisify(execFile);
let dir: ReturnType<typeof tempDir>;
let directory: SandboxDirectory;
let ca: string;

async function makeCertificates(at: string): Promise<{ cert: string; key: string; ca: string }> {
  const f = (n: string) => join(at, n);
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '2', '-subj', '/CN=VOIspeed test CA']);
  await run('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', '/CN=127.0.0.1']);
  writeFileSync(f('san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  await run('openssl', ['x509', '-req', '-in', f('server.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('server.pem'), '-days', '2', '-extfile', f('san.ext')]);
  return { cert: f('server.pem'), key: f('server.key'), ca: readFileSync(f('ca.pem'), 'utf8') };
}

const settings = (over: Partial<LdapSettings>) =>
  ldapSettingsSchema.parse({ enabled: true, url: directory.url, bindDn: directory.bindDn, password: directory.password, baseDn: directory.baseDn, ...over });
const mario = numberForms('+39 02 5550 0000')!;

describe('LDAP over TLS against slapd', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    dir = tempDir('ldap-tls');
    const certs = await makeCertificates(dir.path);
    ca = certs.ca;
    directory = await startSandboxDirectory(join(dir.path, 'sandbox'), { entries: 20, tls: { cert: certs.cert, key: certs.key } });
  });
  afterAll(async () => {
    await stopSandboxDirectory(join(dir.path, 'sandbox'));
    dir.remove();
  });

  it('ldaps:// with the private CA finds the caller', async () => {
    await expect(ldapLookup(settings({ url: directory.ldapsUrl!, caCertificate: ca }), mario)).resolves.toEqual({ name: 'Mario Rossi', company: 'Esposito Costruzioni Srl', source: 'ldap' });
  });

  it('StartTLS on ldap:// with the private CA finds the caller and searches names', async () => {
    const s = settings({ startTls: true, caCertificate: ca });
    await expect(ldapLookup(s, mario)).resolves.toMatchObject({ name: 'Mario Rossi' });
    await expect(ldapSearch(s, ['mario'], 5)).resolves.toMatchObject([{ name: 'Mario Rossi', source: 'ldap' }]);
    const log = readFileSync(directory.log, 'utf8');
    // RFC 4511 StartTLS extended operation, then the TLS session, on the plain port.
    expect(log).toMatch(/EXT oid=1\.3\.6\.1\.4\.1\.1466\.20037/);
    expect(log).toMatch(/TLS established/);
  });

  it('refuses a server whose certificate it cannot verify (no CA given)', async () => {
    await expect(ldapLookup(settings({ url: directory.ldapsUrl! }), mario)).rejects.toThrow(/certificate/i);
    await expect(ldapLookup(settings({ startTls: true }), mario)).rejects.toThrow(/certificate/i);
  });

  it('refuses a wrong bind password', async () => {
    await expect(ldapLookup(settings({ password: 'wrong' }), mario)).rejects.toThrow(/credentials/i);
  });
});
