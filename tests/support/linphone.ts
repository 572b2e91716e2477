import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../native-host/src/sandbox/ports';
import type { SandboxStatus } from '../../native-host/src/sandbox';

export const linphonecPath = ['/usr/bin/linphonec', '/usr/local/bin/linphonec'].find((p) => existsSync(p));

/**
 * A headless Linphone 5.1 (Debian's linphone-cli) registered to the sandbox over UDP: a real
 * softphone, with its own SIP stack, GRUU support and RFC 4733 receiver. Sound goes through files
 * (`soundcard use files`): `play` is its microphone, `record` what it heard. Its console lines
 * ("Receiving tone 1 from …", "Call 1 with … ended") are what the tests read.
 */
export interface Linphone {
  /** Everything linphonec printed so far (console and SIP trace). */
  output(): string;
  /** Sends one console command. */
  command(line: string): void;
  /** Resolves with the first match of `re` in the output after `fromOffset` (default: from the start). */
  waitFor(re: RegExp, timeoutMs?: number, fromOffset?: number): Promise<RegExpMatchArray>;
  /** The keys Linphone reported ("Receiving tone X from …") after `fromOffset`, in order. */
  tones(fromOffset?: number): string;
  /** Resolves once Linphone reported at least `count` keys after `fromOffset`. */
  waitForTones(count: number, timeoutMs?: number, fromOffset?: number): Promise<string>;
  recordPath: string;
  close(): Promise<void>;
}

export interface LinphoneOptions {
  dir: string;
  sandbox: SandboxStatus;
  micWav: string;
  /** A sandbox user, registered over UDP on the users port. */
  user?: '1001' | '1002' | '1003' | '1004';
  /**
   * Or an outside caller on the carrier side: no registration, identity `sip:<number>@carrier.test`,
   * every request through the sandbox's trunk port (a transfer's new INVITE too).
   */
  outsideNumber?: string;
}

export async function startLinphone(o: LinphoneOptions): Promise<Linphone> {
  if (!linphonecPath) throw new Error('linphonec is not installed (apt: linphone-cli)');
  const home = join(o.dir, 'home');
  // Linphone keeps its call log in a database here and does not start its transports without it.
  mkdirSync(join(home, '.local', 'share', 'linphone'), { recursive: true });
  const sipPort = await freePort('udp');
  const rtpPort = await freePort('udp');
  if (!o.user === !o.outsideNumber) throw new Error('startLinphone: give either user or outsideNumber');
  const proxy = `sip:127.0.0.1:${o.user ? o.sandbox.ports.kamailioUdp : o.sandbox.ports.kamailioTrunk};transport=udp`;
  const account = o.user
    ? `reg_identity=sip:${o.user}@${o.sandbox.domain}
reg_expires=600
reg_sendregister=1
publish=0
[auth_info_0]
username=${o.sandbox.users[o.user].authUser}
passwd=${o.sandbox.users[o.user].password}
realm=${o.sandbox.users[o.user].realm}
domain=${o.sandbox.domain}`
    : `reg_identity=sip:${o.outsideNumber}@carrier.test
reg_sendregister=0
publish=0`;
  const rc = join(o.dir, 'linphonerc');
  writeFileSync(
    rc,
    `[sip]
sip_port=${sipPort}
sip_tcp_port=0
sip_tls_port=0
auto_net_state_mon=0
register_only_when_network_is_up=0
register_only_when_upnp_is_ok=0
default_proxy=0
[net]
firewall_policy=0
[rtp]
audio_rtp_port=${rtpPort}
[sound]
echocancellation=0
[video]
enabled=0
[proxy_0]
reg_proxy=<${proxy}>
reg_route=<${proxy};lr>
${account}
`,
  );
  const recordPath = join(o.dir, 'heard.wav');
  const child: ChildProcessWithoutNullStreams = spawn(linphonecPath, ['-c', rc, '-d', '6'], {
    env: { ...process.env, HOME: home },
    cwd: o.dir,
    stdio: 'pipe',
  });
  let text = '';
  // Kept beside the rig (KEEP_RIG=1 keeps the folder) for reading after a failure.
  const trace = createWriteStream(join(o.dir, 'linphonec.out'));
  const listeners = new Set<() => void>();
  const onData = (d: Buffer) => {
    text += d.toString();
    trace.write(d);
    for (const l of [...listeners]) l();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  let exited = false;
  child.on('exit', (code, signal) => {
    exited = true;
    text += `\n[linphonec exited: code ${code}, signal ${signal}]\n`;
    trace.end();
    for (const l of [...listeners]) l();
  });

  const lp: Linphone = {
    output: () => text,
    command(line) {
      child.stdin.write(`${line}\n`);
    },
    waitFor(re, timeoutMs = 15_000, fromOffset = 0) {
      return until(() => text.slice(fromOffset).match(re) ?? undefined, String(re), timeoutMs);
    },
    tones(fromOffset = 0) {
      return [...text.slice(fromOffset).matchAll(/Receiving tone (.) from /g)].map((m) => m[1]).join('');
    },
    waitForTones(count, timeoutMs = 10_000, fromOffset = 0) {
      return until(() => (lp.tones(fromOffset).length >= count ? lp.tones(fromOffset) : undefined), `${count} DTMF tones`, timeoutMs);
    },
    recordPath,
    async close() {
      if (exited) return;
      const gone = new Promise<void>((r) => child.once('exit', () => r()));
      child.stdin.write('quit\n');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(timer);
    },
  };
  /** Resolves with the first defined value of `probe` as output arrives; rejects on timeout or exit. */
  function until<T>(probe: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const m = probe();
        if (m !== undefined) {
          done();
          resolve(m);
        } else if (exited) {
          done();
          reject(new Error(`linphonec exited before ${what}; last output:\n${text.slice(-2000)}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`linphonec: no ${what} within ${timeoutMs} ms; last output:\n${text.slice(-2000)}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      check();
    });
  }
  try {
    // Files instead of a sound card; the microphone is a tone, what it hears goes to recordPath.
    lp.command('soundcard use files');
    lp.command(`play ${o.micWav}`);
    lp.command(`record ${recordPath}`);
    if (o.user) {
      await lp.waitFor(/Register refresher \[200\]/, 15_000);
    } else {
      // Nothing to register: ready once its SIP transport is bound.
      lp.command('ports');
      await lp.waitFor(/sip port = [1-9]/, 15_000);
    }
  } catch (err) {
    await lp.close();
    throw err;
  }
  return lp;
}
