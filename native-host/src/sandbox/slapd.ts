import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { italianContacts, type SampleContact } from '../directory/sample-contacts';
import { writeJsonAtomic } from '../fs/atomic-write';
import { which } from './binaries';
import { freePort, LOOPBACK } from './ports';
import { isOurs, spawnDetached, terminate } from './process-supervisor';
import { tcpAccepts, waitFor } from './probes';

/**
 * The sandbox's LDAP directory (issue 18): Debian's OpenLDAP `slapd` run as a plain user process
 * from its own slapd.conf (`-f`) in `<sandbox>/slapd/`, on a loopback port, never the system
 * slapd or its debconf database. Loaded offline with `slapadd` with deterministic Italian
 * contacts; a read-only `cn=reader` account binds (anonymous reads are refused), and slapd logs
 * every connection, bind and search filter (`-d stats`) to slapd.log, so tests can see exactly
 * what reached it.
 */

export const SANDBOX_BASE_DN = 'dc=voispeed,dc=test';
export const SANDBOX_BIND_DN = `cn=reader,${SANDBOX_BASE_DN}`;
const PEOPLE = `ou=people,${SANDBOX_BASE_DN}`;
const SCHEMAS = '/etc/ldap/schema';
const MODULES = '/usr/lib/ldap';

export interface SandboxDirectory {
  url: string;
  /** With TLS: ldaps:// on its own port (StartTLS works on `url`). */
  ldapsUrl?: string;
  port: number;
  baseDn: string;
  bindDn: string;
  password: string;
  pid: number;
  entries: number;
  log: string;
}

function paths(sandboxDir: string) {
  const dir = join(resolve(sandboxDir), 'slapd');
  return { dir, conf: join(dir, 'slapd.conf'), data: join(dir, 'data'), ldif: join(dir, 'contacts.ldif'), status: join(dir, 'status.json'), log: join(resolve(sandboxDir), 'slapd.log') };
}

export function slapdConf(p: { dir: string; data: string }, password: string, tls?: { cert: string; key: string }): string {
  return [
    ...(tls ? [`TLSCertificateFile ${tls.cert}`, `TLSCertificateKeyFile ${tls.key}`] : []),
    `include ${SCHEMAS}/core.schema`,
    `include ${SCHEMAS}/cosine.schema`,
    `include ${SCHEMAS}/inetorgperson.schema`,
    `pidfile ${join(p.dir, 'slapd.pid')}`,
    `argsfile ${join(p.dir, 'slapd.args')}`,
    `modulepath ${MODULES}`,
    'moduleload back_mdb',
    'loglevel stats',
    'database mdb',
    `suffix "${SANDBOX_BASE_DN}"`,
    `rootdn "cn=admin,${SANDBOX_BASE_DN}"`,
    `rootpw ${password}`,
    `directory ${p.data}`,
    'maxsize 104857600',
    'index objectClass eq',
    'index cn,sn,givenName,o eq,sub',
    'index telephoneNumber,mobile eq',
    'access to attrs=userPassword by anonymous auth by * none',
    'access to * by users read by * none',
    '',
  ].join('\n');
}

/** An LDIF value: base64 (`::`) when it is not plain ASCII (RFC 2849). */
function attr(name: string, value: string): string {
  return /^[\x20-\x7e]*$/.test(value) && !/^[ :<]/.test(value) ? `${name}: ${value}` : `${name}:: ${Buffer.from(value, 'utf8').toString('base64')}`;
}

export function directoryLdif(contacts: readonly SampleContact[], password: string): string {
  const blocks = [
    [`dn: ${SANDBOX_BASE_DN}`, 'objectClass: dcObject', 'objectClass: organization', 'dc: voispeed', 'o: VOIspeed sandbox'],
    [`dn: ${PEOPLE}`, 'objectClass: organizationalUnit', 'ou: people'],
    [`dn: ${SANDBOX_BIND_DN}`, 'objectClass: organizationalRole', 'objectClass: simpleSecurityObject', 'cn: reader', `userPassword: ${password}`],
    ...contacts.map((c, i) => [
      `dn: uid=p${String(i).padStart(5, '0')},${PEOPLE}`,
      'objectClass: inetOrgPerson',
      `uid: p${String(i).padStart(5, '0')}`,
      attr('cn', c.name),
      attr('givenName', c.givenName),
      attr('sn', c.familyName),
      attr('o', c.company),
      `telephoneNumber: ${c.office}`,
      `mobile: ${c.mobile}`,
    ]),
  ];
  return `${blocks.map((b) => b.join('\n')).join('\n\n')}\n`;
}

export async function readSandboxDirectory(sandboxDir: string): Promise<SandboxDirectory | undefined> {
  const p = paths(sandboxDir);
  try {
    const status = JSON.parse(await readFile(p.status, 'utf8')) as SandboxDirectory;
    return isOurs(status.pid, p.conf) ? status : undefined;
  } catch {
    return undefined;
  }
}

/** Starts (or finds running) the sandbox directory with `entries` generated contacts. */
export async function startSandboxDirectory(
  sandboxDir: string,
  /** `tls`: a certificate and key (PEM files) for ldaps:// on a second port and StartTLS on the first. */
  opts: { entries?: number; timeoutMs?: number; env?: NodeJS.ProcessEnv; tls?: { cert: string; key: string } } = {},
): Promise<SandboxDirectory> {
  const running = await readSandboxDirectory(sandboxDir);
  if (running) return running;
  const env = opts.env ?? process.env;
  const slapd = (await which('slapd', env)) ?? ((await which('slapd', { PATH: '/usr/sbin:/usr/bin' })) as string | undefined);
  const slapadd = (await which('slapadd', env)) ?? (await which('slapadd', { PATH: '/usr/sbin:/usr/bin' }));
  if (!slapd || !slapadd) throw new Error('slapd is not installed (Debian/Ubuntu: sudo apt-get install slapd ldap-utils)');
  const p = paths(sandboxDir);
  const entries = opts.entries ?? 1000;
  const password = randomBytes(12).toString('hex');
  await rm(p.dir, { recursive: true, force: true });
  await mkdir(p.data, { recursive: true, mode: 0o700 });
  await writeFile(p.conf, slapdConf(p, password, opts.tls), { mode: 0o600 });
  await writeFile(p.ldif, directoryLdif(italianContacts(entries), password), { mode: 0o600 });
  await promisify(execFile)(slapadd, ['-q', '-f', p.conf, '-l', p.ldif], { env });
  const port = await freePort('tcp');
  const url = `ldap://${LOOPBACK}:${port}`;
  const tlsPort = opts.tls ? await freePort('tcp') : undefined;
  const listen = [`${url}/`, ...(tlsPort ? [`ldaps://${LOOPBACK}:${tlsPort}/`] : [])].join(' ');
  // -d keeps slapd in the foreground (the supervisor owns it); `stats` is the per-operation log.
  const pid = await spawnDetached({ command: slapd, args: ['-d', 'stats', '-f', p.conf, '-h', listen], cwd: p.dir, logFile: p.log, env });
  try {
    const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
    await waitFor('slapd to accept connections', () => tcpAccepts(port), deadline);
    if (tlsPort) await waitFor('slapd to accept ldaps connections', () => tcpAccepts(tlsPort), deadline);
  } catch (err) {
    await terminate(pid, p.conf).catch(() => undefined);
    const tail = (await readFile(p.log, 'utf8').catch(() => '')).split('\n').slice(-10).join('\n');
    throw new Error(`${(err as Error).message}\n${tail}`);
  }
  const status: SandboxDirectory = { url, port, ...(tlsPort ? { ldapsUrl: `ldaps://${LOOPBACK}:${tlsPort}` } : {}), baseDn: SANDBOX_BASE_DN, bindDn: SANDBOX_BIND_DN, password, pid, entries, log: p.log };
  await writeJsonAtomic(p.status, status);
  return status;
}

export async function stopSandboxDirectory(sandboxDir: string): Promise<boolean> {
  const p = paths(sandboxDir);
  const running = await readSandboxDirectory(sandboxDir);
  if (!running) return false;
  await terminate(running.pid, p.conf);
  await rm(p.status, { force: true });
  return true;
}
