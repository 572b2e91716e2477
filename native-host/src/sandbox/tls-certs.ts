import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { isIPv4 } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LOOPBACK } from './ports';

const run = promisify(execFile);

/** The classic profile's TLS files, all in `<sandbox>/tls/` (0700; keys 0600). */
export interface SandboxTlsFiles {
  dir: string;
  /** The sandbox's own CA: what a client must trust (the host's "extra CA file" option). */
  caFile: string;
  caKey: string;
  /** Kamailio's TLS certificate, signed by the CA, for 127.0.0.1 and the sandbox domain. */
  certFile: string;
  keyFile: string;
  /** A self-signed certificate with the same names: the "untrusted server" listener. */
  untrustedCertFile: string;
  untrustedKeyFile: string;
}

export function tlsFiles(sandboxDir: string): SandboxTlsFiles {
  const dir = join(sandboxDir, 'tls');
  return {
    dir,
    caFile: join(dir, 'ca.pem'),
    caKey: join(dir, 'ca.key'),
    certFile: join(dir, 'server.pem'),
    keyFile: join(dir, 'server.key'),
    untrustedCertFile: join(dir, 'untrusted.pem'),
    untrustedKeyFile: join(dir, 'untrusted.key'),
  };
}

/** P-256 keys: made in milliseconds (RSA takes far longer on a loaded machine) and taken by every TLS stack we test with. */
const NEW_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** The openssl argv lists, fixed but for the file names and the domain (checked by the caller). */
export function opensslCommands(f: SandboxTlsFiles, domain: string, address = LOOPBACK): string[][] {
  const ips = address === LOOPBACK ? [LOOPBACK] : [LOOPBACK, address];
  const names = `subjectAltName=${ips.map((ip) => `IP:${ip}`).join(',')},DNS:${domain}`;
  const leaf = ['-addext', names, '-addext', 'basicConstraints=critical,CA:FALSE', '-addext', 'extendedKeyUsage=serverAuth'];
  return [
    ['req', '-x509', '-new', ...NEW_KEY, '-keyout', f.caKey, '-out', f.caFile, '-days', '3650', '-subj', '/O=voispeed/CN=voispeed sandbox CA',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
    // `req -x509 -CA` (OpenSSL 3.0+) signs with the CA in one step, no CSR or serial file.
    ['req', '-x509', '-new', ...NEW_KEY, '-keyout', f.keyFile, '-out', f.certFile, '-days', '825', '-subj', `/O=voispeed/CN=${LOOPBACK}`,
      '-CA', f.caFile, '-CAkey', f.caKey, ...leaf],
    ['req', '-x509', '-new', ...NEW_KEY, '-keyout', f.untrustedKeyFile, '-out', f.untrustedCertFile, '-days', '825',
      '-subj', `/O=voispeed untrusted/CN=${LOOPBACK}`, ...leaf],
  ];
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() === true;
}

/**
 * True when openssl says `cert` is valid for at least another day and (when given) chains to `ca`,
 * and (when given) it names `address`: a sandbox moved to another address gets a new certificate.
 */
async function stillGood(openssl: string, cert: string, ca?: string, address?: string): Promise<boolean> {
  try {
    await run(openssl, ['x509', '-in', cert, '-noout', '-checkend', '86400']);
    if (ca) await run(openssl, ['verify', '-CAfile', ca, cert]);
    if (address && new X509Certificate(await readFile(cert)).checkIP(address) === undefined) return false;
    return true;
  } catch {
    return false;
  }
}

/**
 * Makes the CA, the server certificate and the untrusted one, unless all exist and are still
 * valid: a CA a developer imported keeps working across restarts. `openssl` is run with fixed
 * arguments (no shell); the domain is a constant of ours, checked anyway.
 */
export async function ensureTlsFiles(sandboxDir: string, domain: string, opts: { openssl?: string; address?: string } = {}): Promise<SandboxTlsFiles> {
  const openssl = opts.openssl ?? 'openssl';
  const address = opts.address ?? LOOPBACK;
  if (!/^[A-Za-z0-9.-]+$/.test(domain)) throw new Error(`unsafe domain for a certificate: ${JSON.stringify(domain)}`);
  if (!isIPv4(address)) throw new Error(`unsafe address for a certificate: ${JSON.stringify(address)}`);
  const f = tlsFiles(sandboxDir);
  await mkdir(f.dir, { recursive: true, mode: 0o700 });
  const present = async (paths: string[]) => (await Promise.all(paths.map(exists))).every(Boolean);
  const leaves = [f.certFile, f.keyFile, f.untrustedCertFile, f.untrustedKeyFile];
  const caGood = (await present([f.caFile, f.caKey])) && (await stillGood(openssl, f.caFile));
  const leavesGood =
    caGood && (await present(leaves)) && (await stillGood(openssl, f.certFile, f.caFile, address)) && (await stillGood(openssl, f.untrustedCertFile, undefined, address));
  if (leavesGood) return f;
  // A good CA is kept (a client may trust it already); only the server certificates are made again.
  const stale = caGood ? leaves : [f.caFile, f.caKey, ...leaves];
  await Promise.all(stale.map((p) => rm(p, { force: true })));
  const commands = opensslCommands(f, domain, address);
  for (const args of caGood ? commands.slice(1) : commands) {
    try {
      // The folder is 0700, so the keys are the user's alone whatever mode openssl gives them.
      await run(openssl, args);
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(`openssl ${args[0]} failed: ${(e.stderr ?? e.message).trim().split('\n').slice(-3).join(' / ')}`);
    }
  }
  return f;
}
