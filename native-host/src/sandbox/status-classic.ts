import { join } from 'node:path';
import type { Account } from '../../../shared/protocol/account';
import { LOOPBACK, type ClassicPorts } from './ports';
import {
  CLASSIC_PROCESS_NAMES,
  describeProcesses,
  describeStatus,
  describeUsers,
  sandboxAccount,
  type AnyStatusFile,
  type ClassicProcessName,
  type ClassicStatusFile,
  type ProcessName,
  type SandboxProcess,
  type SandboxStatus,
  type SandboxUser,
} from './status-file';
import { tlsFiles } from './tls-certs';
import type { SandboxUserName } from './users';

/** The SIP URIs a plain SIP client (or the host's account) points at, one per transport. */
export interface ClassicSipUris {
  /** `sip:127.0.0.1:<port>;transport=udp` (127.0.0.1, or the `--address`) */
  udp: string;
  /** `sip:127.0.0.1:<port>;transport=tcp` */
  tcp: string;
  /** `sip:127.0.0.1:<port>;transport=tls`: certificate signed by `caFile`, for 127.0.0.1 and the domain. */
  tls: string;
  /** `sip:127.0.0.1:<port>;transport=tls` with a self-signed certificate: a verifying client must refuse it. */
  tlsUntrusted: string;
}

/** `voispeed sandbox status --json` of a classic-profile sandbox (`sandbox start --classic`). */
export interface ClassicSandboxStatus {
  profile: 'classic';
  /** Every process alive. */
  running: boolean;
  dir: string;
  domain: string;
  startedAt: string;
  stoppedAt?: string;
  /** The address every listener binds: 127.0.0.1 unless started with `--address`. */
  address: string;
  sipUris: ClassicSipUris;
  /** The UDP listener without parameters, as in the WebSocket profile: `sip:127.0.0.1:<kamailioUdp>`. */
  sipUdpUri: string;
  /** The trunk side (UDP, or TCP with `;transport=tcp`): INVITEs from 127.0.0.1 need no credentials. */
  trunkUri: string;
  /** The sandbox CA (PEM) that signed the TLS listener's certificate: what a client must trust. */
  caFile: string;
  tls: { caFile: string; certFile: string; untrustedCertFile: string };
  ports: ClassicPorts;
  users: Record<SandboxUserName, SandboxUser>;
  /** User 1001 as a settings account over UDP (`accounts.udp`). Needs a host that takes SIP server accounts. */
  account: Account;
  /** User 1001 as a settings account per transport; the TLS one names the CA (`tlsCaFile`). */
  accounts: Record<'udp' | 'tcp' | 'tls', SandboxAccount>;
  processes: Record<ClassicProcessName, SandboxProcess>;
  /** Where the answering bot writes dump-<time>-dec.wav (what it heard) and -enc.wav (what it sent). */
  recordingsDir: string;
}

export type AnySandboxStatus = SandboxStatus | ClassicSandboxStatus;

/** A settings account; over TLS also the CA file to trust (the account's "extra CA file" option). */
export type SandboxAccount = Account & { tlsCaFile?: string };

export function classicSipUris(ports: ClassicPorts, address = LOOPBACK): ClassicSipUris {
  const uri = (port: number, transport: string) => `sip:${address}:${port};transport=${transport}`;
  return {
    udp: uri(ports.kamailioUdp, 'udp'),
    tcp: uri(ports.kamailioTcp, 'tcp'),
    tls: uri(ports.kamailioTls, 'tls'),
    tlsUntrusted: uri(ports.kamailioTlsUntrusted, 'tls'),
  };
}

type IsAlive = (name: ProcessName, rec: { pid: number; marker: string }) => boolean;

export function describeClassicStatus(file: ClassicStatusFile, isAlive: IsAlive): ClassicSandboxStatus {
  const processes = describeProcesses(file, CLASSIC_PROCESS_NAMES, isAlive);
  const tls = tlsFiles(file.dir);
  const address = file.address ?? LOOPBACK;
  const sipUris = classicSipUris(file.ports, address);
  const users = describeUsers(file, 'sip', address);
  const accountVia = (server: string): Account => sandboxAccount(users['1001'], server);
  return {
    profile: 'classic',
    running: CLASSIC_PROCESS_NAMES.every((n) => processes[n].alive),
    dir: file.dir,
    domain: file.domain,
    startedAt: file.startedAt,
    ...(file.stoppedAt ? { stoppedAt: file.stoppedAt } : {}),
    sipUris,
    address,
    sipUdpUri: `sip:${address}:${file.ports.kamailioUdp}`,
    trunkUri: `sip:${address}:${file.ports.kamailioTrunk}`,
    caFile: tls.caFile,
    tls: { caFile: tls.caFile, certFile: tls.certFile, untrustedCertFile: tls.untrustedCertFile },
    ports: file.ports,
    users,
    account: accountVia(sipUris.udp),
    accounts: { udp: accountVia(sipUris.udp), tcp: accountVia(sipUris.tcp), tls: { ...accountVia(sipUris.tls), tlsCaFile: tls.caFile } },
    processes,
    recordingsDir: join(file.dir, 'recordings'),
  };
}

/** Either profile's status, from its status.json. */
export function describeAnyStatus(file: AnyStatusFile, isAlive: IsAlive): AnySandboxStatus {
  return file.profile === 'classic' ? describeClassicStatus(file, isAlive) : describeStatus(file, isAlive);
}
