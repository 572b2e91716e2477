import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BARESIP_MODULE_DIRS } from '../../native-host/src/sandbox/baresip-config';
import { canBind, freePort } from '../../native-host/src/sandbox/ports';
import type { ClassicSandboxStatus, SandboxStatus } from '../../native-host/src/sandbox';

export const baresipModules = BARESIP_MODULE_DIRS.find((d) => existsSync(join(d, 'ausine.so')));

/**
 * A plain SIP softphone (baresip 1.0) registered to a classic-profile sandbox over UDP, TCP or
 * TLS: a real SIP stack with plain G.711 RTP, auto-answering, playing a tone (ausine) and
 * recording what it hears (sndfile: `dump-<time>-dec.wav` in `recordingsDir`). Its console lines
 * ("200 OK", "Call established", "terminated") are what tests wait for.
 */
export interface BaresipClient {
  user: string;
  ctrl: { host: string; port: number };
  recordingsDir: string;
  output(): string;
  /** Resolves with the first match of `re` in the output after `fromOffset`; rejects when baresip exits. */
  waitFor(re: RegExp, timeoutMs?: number, fromOffset?: number): Promise<RegExpMatchArray>;
  close(): Promise<void>;
}

export interface BaresipClientOptions {
  dir: string;
  /** A classic sandbox; or the WebSocket one, whose UDP port serves plain SIP phones too (transport udp). */
  sandbox: ClassicSandboxStatus | SandboxStatus;
  user: '1001' | '1002' | '1003' | '1004';
  /** `manual`: the phone rings until told to answer (ctrl_tcp `accept`); default `auto`. */
  answermode?: 'auto' | 'manual';
  transport: 'udp' | 'tcp' | 'tls';
  toneHz: number;
  /** baresip's audio_codecs, e.g. `PCMA` to check the bots take A-law too. */
  codecs?: string;
}

/** baresip binds its SIP port on UDP and TCP, and the next one for TLS. */
async function sipPort(): Promise<number> {
  for (let i = 0; i < 20; i++) {
    const p = await freePort('udp');
    if (p < 65535 && (await canBind('tcp', p)) && (await canBind('tcp', p + 1))) return p;
  }
  throw new Error('no free SIP port for baresip');
}

export async function startBaresipClient(o: BaresipClientOptions): Promise<BaresipClient> {
  if (!baresipModules) throw new Error('baresip modules not found (apt: baresip)');
  const home = join(o.dir, `baresip-${o.user}-${o.transport}`);
  const recordingsDir = join(home, 'rec');
  mkdirSync(recordingsDir, { recursive: true });
  const ctrlPort = await freePort('tcp');
  const classic = 'kamailioTcp' in o.sandbox.ports ? (o.sandbox as ClassicSandboxStatus) : undefined;
  if (!classic && o.transport !== 'udp') throw new Error('the WebSocket sandbox serves plain SIP phones over UDP only');
  const serverPort = { udp: o.sandbox.ports.kamailioUdp, tcp: classic?.ports.kamailioTcp, tls: classic?.ports.kamailioTls }[o.transport];
  const address = classic?.address ?? '127.0.0.1';
  writeFileSync(
    join(home, 'config'),
    [
      `sip_listen 127.0.0.1:${await sipPort()}`,
      'net_interface 127.0.0.1',
      `module_path ${baresipModules}`,
      ...['g711', 'ausine', 'aubridge', 'sndfile'].map((m) => `module ${m}.so`),
      ...['account', 'menu', 'ctrl_tcp'].map((m) => `module_app ${m}.so`),
      `ctrl_tcp_listen 127.0.0.1:${ctrlPort}`,
      `audio_source ausine,${o.toneHz}`,
      'ausrc_srate 48000',
      'ausrc_channels 2',
      'audio_player aubridge,nil',
      'audio_alert aubridge,nil',
      `snd_path ${recordingsDir}`,
      ...(classic ? [`sip_cafile ${classic.caFile}`] : []),
      '',
    ].join('\n'),
  );
  const user = o.sandbox.users[o.user];
  writeFileSync(
    join(home, 'accounts'),
    `<sip:${o.user}@${o.sandbox.domain}>;auth_pass=${user.password};outbound="sip:${address}:${serverPort};transport=${o.transport}";regint=600;answermode=${o.answermode ?? 'auto'};audio_codecs=${o.codecs ?? 'PCMU,PCMA'}\n`,
  );
  const child = spawn('baresip', ['-4', '-f', home], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let exited = false;
  const listeners = new Set<() => void>();
  const onData = (d: Buffer) => {
    out += d.toString();
    for (const l of listeners) l();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  child.on('exit', () => {
    exited = true;
    for (const l of listeners) l();
  });

  const waitFor = (re: RegExp, timeoutMs = 15_000, fromOffset = 0) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const m = out.slice(fromOffset).match(re);
        if (m) done(() => resolve(m));
        else if (exited) done(() => reject(new Error(`baresip ${o.user} exited before ${re}:\n${out.slice(-2000)}`)));
      };
      const timer = setTimeout(() => done(() => reject(new Error(`baresip ${o.user}: no ${re} within ${timeoutMs} ms:\n${out.slice(-2000)}`))), timeoutMs);
      const done = (f: () => void) => {
        clearTimeout(timer);
        listeners.delete(check);
        f();
      };
      listeners.add(check);
      check();
    });

  return {
    user: o.user,
    ctrl: { host: '127.0.0.1', port: ctrlPort },
    recordingsDir,
    output: () => out,
    waitFor,
    async close() {
      if (exited) return;
      const gone = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      // baresip 1.0 may ignore SIGTERM (NOTES-ENV.md): a last resort, not a wait for a state.
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await gone;
      clearTimeout(timer);
    },
  };
}

/**
 * The `*-dec.wav` (what was heard) of the call a baresip started after offset `from` of its log,
 * read from sndfile's own "dumping decode audio to" line (relative paths resolved against `cwd`,
 * the baresip's working folder), or undefined before that line. Not from the folder listing:
 * baresip 1.0 names a recording by the second its call started, so a call starting in the same
 * second as the previous one reopens (truncates) that file and no new name appears.
 */
export function decodeRecording(log: string, from: number, cwd: string): string | undefined {
  const path = [...log.slice(from).matchAll(/sndfile: dumping decode audio to (\S+\.wav)/g)].at(-1)?.[1];
  return path ? resolve(cwd, path) : undefined;
}

/** The newest `*-dec.wav` (what was heard) in a recordings folder not in `before`, or undefined. */
export function newRecording(dir: string, before: ReadonlySet<string>): string | undefined {
  const fresh = readdirSync(dir)
    .filter((f) => f.endsWith('-dec.wav') && !before.has(f))
    .sort();
  const last = fresh.at(-1);
  return last ? join(dir, last) : undefined;
}

export function listing(dir: string): Set<string> {
  return new Set(readdirSync(dir));
}

/** Bytes of a file, 0 when it does not exist yet. */
export function sizeOf(path: string | undefined): number {
  if (!path) return 0;
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
