import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findByMarker, isOurs, killStrays, spawnDetached, terminate } from './process-supervisor';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'voispeed-supervisor-'));
});
afterAll(async () => {
  await killStrays(dir);
  await rm(dir, { recursive: true, force: true });
});

const node = process.execPath;

describe.skipIf(process.platform !== 'linux')('process supervisor', () => {
  it('starts a detached process with its output in the log, and stops it', async () => {
    const marker = join(dir, 'a');
    const pid = await spawnDetached({
      command: node,
      args: ['-e', 'console.log("hello"); setInterval(() => {}, 1000)', marker],
      cwd: dir,
      logFile: join(dir, 'a.log'),
    });
    expect(isOurs(pid, marker)).toBe(true);
    expect(isOurs(pid, join(dir, 'other'))).toBe(false);
    await expect.poll(() => readFile(join(dir, 'a.log'), 'utf8')).toContain('hello');
    await terminate(pid, marker);
    expect(isOurs(pid, marker)).toBe(false);
  });

  it('kills what ignores SIGTERM, and the children it forked', async () => {
    const marker = join(dir, 'b');
    const script = `
      const { spawn } = require('node:child_process');
      process.on('SIGTERM', () => {});
      spawn(process.execPath, ['-e', 'process.on("SIGTERM", () => {}); setInterval(() => {}, 1000)', process.argv[1]], { stdio: 'ignore' });
      setInterval(() => {}, 1000);`;
    const pid = await spawnDetached({ command: node, args: ['-e', script, marker], cwd: dir, logFile: join(dir, 'b.log') });
    await expect.poll(() => findByMarker(marker).length).toBe(2);
    const started = Date.now();
    await terminate(pid, marker, { graceMs: 200 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    expect(findByMarker(marker)).toEqual([]);
  });

  it('does nothing to a pid that is not ours', async () => {
    await terminate(process.pid, join(dir, 'not-this-one'));
    expect(isOurs(process.pid, join(dir, 'not-this-one'))).toBe(false);
    expect(isOurs(0, 'x')).toBe(false);
    expect(isOurs(null, 'x')).toBe(false);
  });
});
