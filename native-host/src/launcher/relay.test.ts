import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runRelay } from './relay';

let dir: string;
const servers: Server[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'voispeed-relay-'));
});
afterEach(async () => {
  for (const s of servers.splice(0)) s.close();
  await rm(dir, { recursive: true, force: true });
});

const log = { info: () => undefined, warn: () => undefined };
/** A started host that is still running (its exit never comes). */
const running = () => ({ exited: new Promise<number | null>(() => undefined) });

/** A stand-in host: echoes every byte back with each ASCII letter upper-cased, and remembers its connections. */
function listen(path: string): Promise<{ server: Server; sockets: Socket[]; received: Buffer[] }> {
  const sockets: Socket[] = [];
  const received: Buffer[] = [];
  const server = createServer((s) => {
    sockets.push(s);
    s.on('data', (d: Buffer) => {
      received.push(d);
      s.write(Buffer.from(d.map((b) => (b >= 0x61 && b <= 0x7a ? b - 0x20 : b))));
    });
  });
  servers.push(server);
  return new Promise((resolve) => server.listen(path, () => resolve({ server, sockets, received })));
}

describe('the launcher relay', () => {
  it('pipes bytes both ways to a running host and never starts another', async () => {
    const path = join(dir, 'control.sock');
    const host = await listen(path);
    const input = new PassThrough();
    const output = new PassThrough();
    const startHost = vi.fn(running);
    const done = runRelay({ socketPath: path, startHost, input, output, log });
    input.write(Buffer.from([4, 0, 0, 0, 0x61, 0x62, 0x00, 0xff]));
    const back = await new Promise<Buffer>((r) => output.once('data', r));
    expect([...back]).toEqual([4, 0, 0, 0, 0x41, 0x42, 0x00, 0xff]);
    expect(startHost).not.toHaveBeenCalled();
    host.sockets[0]!.destroy();
    await expect(done).resolves.toBe(0);
  });

  it('starts the host once when nothing answers, then connects to it', async () => {
    const path = join(dir, 'control.sock');
    const input = new PassThrough();
    const output = new PassThrough();
    let host: Awaited<ReturnType<typeof listen>> | undefined;
    const startHost = vi.fn(() => {
      setTimeout(async () => (host = await listen(path)), 100);
      return running();
    });
    const done = runRelay({ socketPath: path, startHost, input, output, log });
    input.write('x');
    const back = await new Promise<Buffer>((r) => output.once('data', r));
    expect(back.toString()).toBe('X');
    expect(startHost).toHaveBeenCalledOnce();
    // The browser closes its end: the host sees the end of the stream, and the relay is done.
    input.end();
    await vi.waitFor(() => expect(host!.sockets[0]!.readableEnded).toBe(true));
    host!.sockets[0]!.end();
    await expect(done).resolves.toBe(0);
  });

  it('gives up with exit code 1 when the host never comes up', async () => {
    const startHost = vi.fn(running);
    const code = await runRelay({ socketPath: join(dir, 'none.sock'), startHost, input: new PassThrough(), output: new PassThrough(), startTimeoutMs: 200, log });
    expect(code).toBe(1);
    expect(startHost).toHaveBeenCalledOnce();
  });

  it('gives up at once when the host it started dies before listening, not at the timeout', async () => {
    const t0 = Date.now();
    const startHost = vi.fn(() => ({ exited: new Promise<number | null>((r) => setTimeout(() => r(1), 50)) }));
    const code = await runRelay({ socketPath: join(dir, 'none.sock'), startHost, input: new PassThrough(), output: new PassThrough(), startTimeoutMs: 60_000, log });
    expect(code).toBe(1);
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it('keeps waiting when its host exits 0 because another host holds the lock, and reaches that one', async () => {
    const path = join(dir, 'control.sock');
    const input = new PassThrough();
    const output = new PassThrough();
    let other: Awaited<ReturnType<typeof listen>> | undefined;
    const startHost = vi.fn(() => {
      // The other launcher's host listens only after ours has given way.
      setTimeout(async () => (other = await listen(path)), 300);
      return { exited: Promise.resolve(0) };
    });
    const done = runRelay({ socketPath: path, startHost, input, output, log });
    input.write('y');
    expect((await new Promise<Buffer>((r) => output.once('data', r))).toString()).toBe('Y');
    other!.sockets[0]!.destroy();
    await expect(done).resolves.toBe(0);
  });
});
