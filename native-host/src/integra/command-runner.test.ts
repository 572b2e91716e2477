import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { CommandRunner } from './command-runner';

const log = pino({ level: 'silent' });
const node = process.execPath;

describe('CommandRunner', () => {
  it('ok, failed (exit code) and error (no such program) are outcomes, never throws', async () => {
    const r = new CommandRunner({ log });
    expect(await r.run({ program: node, args: ['-e', ''], viaCmd: false }, {})).toMatchObject({ result: 'ok', exitCode: 0 });
    expect(await r.run({ program: node, args: ['-e', 'process.exit(3)'], viaCmd: false }, {})).toMatchObject({ result: 'failed', exitCode: 3 });
    expect(await r.run({ program: '/nonexistent/crm-tool', args: [], viaCmd: false }, {})).toMatchObject({ result: 'error', message: expect.stringMatching(/ENOENT/) });
    expect(await r.run({ program: node, args: ['a\u0000b'], viaCmd: false }, {})).toMatchObject({ result: 'error' });
  });
  it('kills a command that runs past the timeout, with what it started', async () => {
    const r = new CommandRunner({ log, timeoutMs: 300 });
    const pidFile = join(mkdtempSync(join(tmpdir(), 'runner-')), 'bg.pid');
    const t0 = Date.now();
    const outcome = await r.run({ program: '/bin/sh', args: ['-c', 'sleep 30 & echo $! > "$0"; sleep 30', pidFile], viaCmd: false }, {});
    expect(outcome).toMatchObject({ result: 'timeout', signal: 'SIGTERM' });
    expect(Date.now() - t0).toBeLessThan(3000);
    const bg = Number(readFileSync(pidFile, 'utf8'));
    await new Promise((res) => setTimeout(res, 100));
    // Gone, or a zombie waiting for whichever process adopted it to reap it.
    const state = existsSync(`/proc/${bg}/status`) ? /State:\s+(\w)/.exec(readFileSync(`/proc/${bg}/status`, 'utf8'))?.[1] : 'gone';
    expect(['gone', 'Z'], 'the background sleep was killed too').toContain(state);
  });
  it('runs at most maxRunning commands at once; the rest wait', async () => {
    const r = new CommandRunner({ log, maxRunning: 2 });
    const spans: [number, number][] = [];
    await Promise.all(
      Array.from({ length: 5 }, () =>
        r.run({ program: node, args: ['-e', 'setTimeout(()=>{},300)'], viaCmd: false }, {}).then((o) => {
          if ('startedAt' in o && o.startedAt !== undefined) spans.push([o.startedAt, o.finishedAt]);
        }),
      ),
    );
    expect(spans).toHaveLength(5);
    const maxOverlap = Math.max(...spans.map(([s]) => spans.filter(([a, b]) => a <= s && s < b).length));
    expect(maxOverlap).toBeLessThanOrEqual(2);
  });
  it('drops commands beyond the queue bound', async () => {
    const r = new CommandRunner({ log, maxRunning: 1, maxQueued: 1 });
    const results = await Promise.all([0, 1, 2].map(() => r.run({ program: node, args: ['-e', 'setTimeout(()=>{},100)'], viaCmd: false }, {})));
    expect(results.map((o) => o.result).sort()).toEqual(['error', 'ok', 'ok']);
  });
  it('a process that could not be created for a transient reason is started again, at most twice more; ENOENT is not retried', async () => {
    const calls: string[] = [];
    // A child that fails to be created: an 'error' with the given code and never a 'spawn'.
    const failing = (code: string) => {
      const child = Object.assign(new EventEmitter(), { pid: undefined, kill: () => true });
      queueMicrotask(() => child.emit('error', Object.assign(new Error(`spawn ${code}`), { code })));
      return child;
    };
    let failures = 2;
    const flaky = ((file: string, args: readonly string[], o: object) => {
      calls.push(file);
      return failures-- > 0 ? failing('UNKNOWN') : spawn(file, args, o);
    }) as unknown as typeof spawn;
    const r = new CommandRunner({ log, spawnImpl: flaky });
    expect(await r.run({ program: node, args: ['-e', ''], viaCmd: false }, {})).toMatchObject({ result: 'ok', exitCode: 0 });
    expect(calls).toHaveLength(3);

    calls.length = 0;
    const always = ((file: string) => (calls.push(file), failing('UNKNOWN'))) as unknown as typeof spawn;
    expect(await new CommandRunner({ log, spawnImpl: always }).run({ program: node, args: [], viaCmd: false }, {})).toMatchObject({ result: 'error', message: 'spawn UNKNOWN' });
    expect(calls).toHaveLength(3);

    calls.length = 0;
    const missing = ((file: string) => (calls.push(file), failing('ENOENT'))) as unknown as typeof spawn;
    expect(await new CommandRunner({ log, spawnImpl: missing }).run({ program: node, args: [], viaCmd: false }, {})).toMatchObject({ result: 'error', message: 'spawn ENOENT' });
    expect(calls).toHaveLength(1);
  });
});
