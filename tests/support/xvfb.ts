import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface Xvfb {
  display: string;
  env: NodeJS.ProcessEnv;
  /** Runs an X tool (xdotool, xclip, …) on this display; throws with its stderr when it fails. */
  run(cmd: string, args: string[], input?: string): string;
  stop(): Promise<void>;
}

/** A private X server on the first free display from `first` up, for tests that need real X. */
export async function startXvfb(first = 90): Promise<Xvfb> {
  for (let n = first; n < first + 40; n++) {
    if (existsSync(`/tmp/.X${n}-lock`) || existsSync(`/tmp/.X11-unix/X${n}`)) continue;
    const display = `:${n}`;
    const child: ChildProcess = spawn('Xvfb', [display, '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
    const exited = new Promise<void>((r) => child.on('exit', () => r()));
    const deadline = Date.now() + 5000;
    while (!existsSync(`/tmp/.X11-unix/X${n}`) && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (child.exitCode !== null || !existsSync(`/tmp/.X11-unix/X${n}`)) {
      child.kill();
      continue; // another test took it first
    }
    // WAYLAND_DISPLAY from a developer's desktop would make the host refuse X11.
    const env = { ...process.env, DISPLAY: display, WAYLAND_DISPLAY: '', XDG_SESSION_TYPE: 'x11' };
    return {
      display,
      env,
      run(cmd, args, input) {
        const r = spawnSync(cmd, args, { env, input, encoding: 'utf8', timeout: 10_000 });
        if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr || r.error?.message || `exit ${r.status}`}`);
        return r.stdout;
      },
      async stop() {
        child.kill();
        await exited;
      },
    };
  }
  throw new Error('no free X display');
}

/** Puts `text` in a selection; xclip stays in the background serving it until another owner takes over. */
export function setSelection(x: Xvfb, text: string, selection: 'primary' | 'clipboard' = 'primary'): void {
  // Output ignored: the background xclip would keep a pipe, and spawnSync, waiting.
  const r = spawnSync('xclip', ['-selection', selection, '-i'], { env: x.env, input: text, stdio: ['pipe', 'ignore', 'ignore'], timeout: 5000 });
  if (r.status !== 0) throw new Error(`xclip failed: ${r.error?.message ?? `exit ${r.status}`}`);
}
