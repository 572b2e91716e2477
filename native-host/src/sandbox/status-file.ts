import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import type { Account } from '../../../shared/protocol/account';
import { LOOPBACK, type ClassicPorts, type SandboxPorts } from './ports';
import { writeJsonAtomic } from '../fs/atomic-write';
import { ALL_USERS, BOT_PROFILES, BOT_USERS, UI_USERS, aor, type BotUser, type Passwords, type SandboxUserName } from './users';

/** One entry per process, in start order; each writes `<name>.log` in the sandbox folder. */
export const PROCESS_NAMES = ['rtpengine', 'kamailio', 'baresip-2001', 'baresip-3001'] as const;
export type ProcessName = (typeof PROCESS_NAMES)[number];
/** The classic profile runs no rtpengine. */
export const CLASSIC_PROCESS_NAMES = ['kamailio', 'baresip-2001', 'baresip-3001'] as const satisfies readonly ProcessName[];
export type ClassicProcessName = (typeof CLASSIC_PROCESS_NAMES)[number];

/** `ws`: SIP over WebSocket + rtpengine (the default); `classic`: SIP over UDP/TCP/TLS, plain RTP. */
export type SandboxProfile = 'ws' | 'classic';

export const STATUS_FILE = 'status.json';
export const WS_PATH = '/ws';

const port = z.number().int().min(1).max(65535);
const range = z.strictObject({ min: port, max: port });
const botPorts = z.strictObject({ sip: port, ctrl: port, rtp: range });

const portsSchema = z.strictObject({
  kamailioUdp: port,
  kamailioWs: port,
  kamailioTrunk: port,
  rtpengineNg: port,
  rtpengineRtp: range,
  baresip: z.strictObject({ '2001': botPorts, '3001': botPorts }),
}) satisfies z.ZodType<SandboxPorts>;

const classicPortsSchema = z.strictObject({
  kamailioUdp: port,
  kamailioTcp: port,
  kamailioTls: port,
  kamailioTlsUntrusted: port,
  kamailioTrunk: port,
  baresip: z.strictObject({ '2001': botPorts, '3001': botPorts }),
}) satisfies z.ZodType<ClassicPorts>;

const processRecord = z.strictObject({
  pid: z.number().int().positive(),
  /** An argv element that only this sandbox's process has: guards against recycled pids. */
  marker: z.string().min(1),
});

const commonFields = {
  version: z.literal(1),
  dir: z.string().min(1),
  domain: z.string().min(1),
  startedAt: z.string(),
  stoppedAt: z.string().optional(),
  passwords: z.record(z.string(), z.string()),
};

/** What `<sandboxDir>/status.json` holds (0600: it has the passwords); no `profile` = `ws` (older files). */
export const statusFileSchema = z.object({
  ...commonFields,
  profile: z.literal('ws').optional(),
  ports: portsSchema,
  processes: z.partialRecord(z.enum(PROCESS_NAMES), processRecord),
});
export type StatusFile = z.infer<typeof statusFileSchema>;

export const classicStatusFileSchema = z.object({
  ...commonFields,
  profile: z.literal('classic'),
  /** The address every process binds (`--address`); absent = 127.0.0.1. */
  address: z.ipv4().optional(),
  ports: classicPortsSchema,
  processes: z.partialRecord(z.enum(CLASSIC_PROCESS_NAMES), processRecord),
});
export type ClassicStatusFile = z.infer<typeof classicStatusFileSchema>;
export type AnyStatusFile = StatusFile | ClassicStatusFile;

export interface SandboxUser {
  extension: string;
  password: string;
  uri: string;
  authUser: string;
  realm: string;
  /** `webrtc`: a UI user of the WebSocket profile; `sip`: the same users in the classic profile. */
  kind: 'webrtc' | 'sip' | 'bot';
  role?: 'answering-bot' | 'transfer-target';
  /** Bots: the tone they play. */
  toneHz?: number;
  /** Bots: baresip ctrl_tcp (JSON netstrings), e.g. `{"command":"dial","params":"sip:1001@…"}`. */
  ctrl?: { host: string; port: number };
}

export interface SandboxProcess {
  pid: number | null;
  alive: boolean;
  log: string;
}

export interface SandboxStatus {
  profile: 'ws';
  /** Every process alive. */
  running: boolean;
  dir: string;
  domain: string;
  startedAt: string;
  stoppedAt?: string;
  /** `ws://127.0.0.1:<kamailioWs>/ws` */
  wsUrl: string;
  /** Kamailio over UDP for plain SIP clients (sipp, softphones): `sip:127.0.0.1:<kamailioUdp>`. */
  sipUdpUri: string;
  /**
   * The trunk side for plain SIP (UDP, or TCP with `;transport=tcp`), `sip:127.0.0.1:<kamailioTrunk>`: INVITEs from 127.0.0.1
   * need no credentials and may carry any caller id (an outside caller, a carrier, a transfer).
   */
  trunkUri: string;
  ports: SandboxPorts;
  users: Record<SandboxUserName, SandboxUser>;
  /** User 1001 as a settings account (shared/protocol/account.ts accountSchema). */
  account: Account;
  processes: Record<ProcessName, SandboxProcess>;
  /** Where the answering bot writes dump-<time>-dec.wav (what it heard) and -enc.wav (what it sent). */
  recordingsDir: string;
}

export function parseStatusFile(text: string): AnyStatusFile | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  const classic = typeof raw === 'object' && raw !== null && (raw as { profile?: unknown }).profile === 'classic';
  const parsed = (classic ? classicStatusFileSchema : statusFileSchema).safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

/** undefined when missing or unreadable: a sandbox that never started, or a file from elsewhere. */
export async function readStatusFile(dir: string): Promise<AnyStatusFile | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, STATUS_FILE), 'utf8');
  } catch {
    return undefined;
  }
  return parseStatusFile(text);
}

/**
 * The users' passwords of a status.json this version cannot read whole (one written before the
 * trunk port existed): kept across the upgrade, so phones and saved accounts still register.
 */
export async function readPreviousPasswords(dir: string): Promise<Record<string, string> | undefined> {
  try {
    const raw = JSON.parse(await readFile(join(dir, STATUS_FILE), 'utf8')) as unknown;
    const parsed = z.object({ passwords: z.record(z.string(), z.string()) }).safeParse(raw);
    return parsed.success ? parsed.data.passwords : undefined;
  } catch {
    return undefined;
  }
}

/** Write-then-rename, so a reader never sees half a file. */
export async function writeStatusFile(dir: string, file: AnyStatusFile): Promise<void> {
  await writeJsonAtomic(join(dir, STATUS_FILE), file);
}

export function wsUrlOf(ports: SandboxPorts): string {
  return `ws://${LOOPBACK}:${ports.kamailioWs}${WS_PATH}`;
}

/** The users as status shows them; `uiKind` says how the UI users connect in this profile. */
export function describeUsers(file: AnyStatusFile, uiKind: 'webrtc' | 'sip', host = LOOPBACK): Record<SandboxUserName, SandboxUser> {
  const passwords = file.passwords as Partial<Passwords>;
  const users = {} as Record<SandboxUserName, SandboxUser>;
  for (const name of ALL_USERS) {
    const user: SandboxUser = {
      extension: name,
      password: passwords[name] ?? '',
      uri: aor(name, file.domain),
      authUser: name,
      realm: file.domain,
      kind: (UI_USERS as readonly string[]).includes(name) ? uiKind : 'bot',
    };
    if ((BOT_USERS as readonly string[]).includes(name)) {
      const bot = name as BotUser;
      user.role = BOT_PROFILES[bot].role;
      user.toneHz = BOT_PROFILES[bot].toneHz;
      user.ctrl = { host, port: file.ports.baresip[bot].ctrl };
    }
    users[name] = user;
  }
  return users;
}

/** Each named process as recorded, alive or not. */
export function describeProcesses<N extends ProcessName>(
  file: AnyStatusFile,
  names: readonly N[],
  isAlive: (name: ProcessName, rec: { pid: number; marker: string }) => boolean,
): Record<N, SandboxProcess> {
  const recs = file.processes as Partial<Record<ProcessName, { pid: number; marker: string }>>;
  const processes = {} as Record<N, SandboxProcess>;
  for (const name of names) {
    const rec = recs[name];
    processes[name] = { pid: rec?.pid ?? null, alive: rec ? isAlive(name, rec) : false, log: join(file.dir, `${name}.log`) };
  }
  return processes;
}

/** The ready-made account of user 1001 on one of the sandbox's servers (a WebSocket URL or a sip: URI). */
export function sandboxAccount(main: SandboxUser, server: string): Account {
  return {
    wsUrls: [server],
    uri: main.uri,
    authUser: main.authUser,
    password: main.password,
    realm: main.realm,
    displayName: 'Sandbox 1001',
    extension: main.extension,
    label: 'sandbox',
  };
}

export function describeStatus(file: StatusFile, isAlive: (name: ProcessName, rec: { pid: number; marker: string }) => boolean): SandboxStatus {
  const users = describeUsers(file, 'webrtc');
  const processes = describeProcesses(file, PROCESS_NAMES, isAlive);
  const wsUrl = wsUrlOf(file.ports);
  const account = sandboxAccount(users['1001'], wsUrl);
  return {
    profile: 'ws',
    running: PROCESS_NAMES.every((n) => processes[n].alive),
    dir: file.dir,
    domain: file.domain,
    startedAt: file.startedAt,
    ...(file.stoppedAt ? { stoppedAt: file.stoppedAt } : {}),
    wsUrl,
    sipUdpUri: `sip:${LOOPBACK}:${file.ports.kamailioUdp}`,
    trunkUri: `sip:${LOOPBACK}:${file.ports.kamailioTrunk}`,
    ports: file.ports,
    users,
    account,
    processes,
    recordingsDir: join(file.dir, 'recordings'),
  };
}
