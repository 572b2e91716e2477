import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROTOCOL_VERSION } from '../../shared/protocol';
import { encodeFrame, FrameCollector } from './frames';

/** The repository root; benchmarks run bundled from a temp folder, so also accept the cwd. */
export const repoRoot = existsSync(join(__dirname, '..', '..', 'package.json')) ? join(__dirname, '..', '..') : process.cwd();
export const hostBundle = join(repoRoot, 'dist/host/host.cjs');
export const cliBundle = join(repoRoot, 'dist/host/voispeed.cjs');

export interface HostProcess {
  child: ChildProcess;
  frames: FrameCollector;
  send(message: unknown): void;
  writeRaw(bytes: Buffer): void;
  request(method: string, params?: unknown, timeoutMs?: number): Promise<Record<string, unknown>>;
  hello(): Promise<Record<string, unknown>>;
  exited: Promise<number | null>;
  stdoutBytes(): number;
}

let nextId = 1;

/** Runs the bundled host as a browser would: frames on stdin/stdout, VOISPEED_HOME set. */
export function spawnHost(home: string, extraEnv: NodeJS.ProcessEnv = {}, prefix: string[] = []): HostProcess {
  // `prefix`: e.g. nsenter into a network namespace made by the test (tests/support/netns.ts).
  const argv = [...prefix, process.execPath, hostBundle, 'chrome-extension://test/'];
  const child = spawn(argv[0]!, argv.slice(1), {
    env: { ...process.env, VOISPEED_HOME: home, ...extraEnv },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const frames = new FrameCollector();
  let bytes = 0;
  child.stdout!.on('data', (c: Buffer) => {
    bytes += c.length;
    frames.push(c);
  });
  child.stderr!.on('data', () => undefined);
  child.stdin!.on('error', () => undefined);
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const host: HostProcess = {
    child,
    frames,
    exited,
    stdoutBytes: () => bytes,
    send: (m) => child.stdin!.write(encodeFrame(m)),
    writeRaw: (b) => child.stdin!.write(b),
    async request(method, params, timeoutMs = 10_000) {
      const id = nextId++;
      host.send(params === undefined ? { id, method } : { id, method, params });
      return frames.waitFor((m) => m?.id === id, timeoutMs, `reply to ${method}`);
    },
    hello: () => host.request('hello', { protocol: PROTOCOL_VERSION, app: 'test', client: 'extension' }),
  };
  return host;
}

/**
 * Kills the host processes (`pid` of a hello reply: the daemon behind a launcher, which killing the
 * launcher leaves running, still writing its log) and resolves once each is gone. Not our children,
 * so their exit is seen in /proc.
 */
export async function killHostPids(pids: Iterable<number>, timeoutMs = 10_000): Promise<void> {
  const all = [...new Set(pids)];
  for (const pid of all) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const deadline = Date.now() + timeoutMs;
  while (all.some(alive)) {
    if (Date.now() > deadline) throw new Error(`hosts ${all.filter(alive).join(', ')} still running`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
