import { execFile, spawn } from 'node:child_process';

/**
 * The clipboard through the system's own tools: PowerShell on Windows, pbpaste/pbcopy on macOS.
 * Untested on real Windows and macOS (README.md says so).
 */
export interface Clipboard {
  read(): Promise<string>;
  write(text: string): Promise<void>;
}

const PS = ['-NoProfile', '-NonInteractive', '-Command'];

function run(cmd: string, args: string[], env?: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 3000, windowsHide: true, maxBuffer: 1 << 20, ...(env ? { env } : {}) }, (err, stdout) =>
      err ? reject(err) : resolve(stdout),
    );
  });
}

function feed(cmd: string, args: string[], input: string, env?: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { windowsHide: true, stdio: ['pipe', 'ignore', 'ignore'], ...(env ? { env } : {}) });
    const timer = setTimeout(() => child.kill(), 3000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`${cmd} exited with ${code}`));
    });
    child.stdin.end(input, 'utf8');
  });
}

export function systemClipboard(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): Clipboard {
  if (platform === 'win32') {
    return {
      read: () => run('powershell.exe', [...PS, '[Console]::OutputEncoding=[Text.Encoding]::UTF8; Get-Clipboard -Raw']).then((s) => s.replace(/\r?\n$/, '')),
      write: (text) => feed('powershell.exe', [...PS, '[Console]::InputEncoding=[Text.Encoding]::UTF8; Set-Clipboard -Value ([Console]::In.ReadToEnd())'], text),
    };
  }
  if (platform === 'darwin') {
    const utf8 = { ...env, LANG: 'en_US.UTF-8' };
    return { read: () => run('pbpaste', [], utf8), write: (text) => feed('pbcopy', [], text, utf8) };
  }
  throw new Error(`no clipboard tool for ${platform}`);
}
