import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/protocol';
import { spawnHost, type HostProcess } from '../support/host-process';
import { prng, tempDir } from '../support/temp';

function frame(body: Buffer, declared = body.length): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32LE(declared >>> 0, 0);
  return Buffer.concat([head, body]);
}

/** One malformed but self-delimited frame; each must earn exactly one error reply. */
function malformed(rand: () => number, i: number): Buffer {
  const pick = Math.floor(rand() * 9);
  const junk = Buffer.from(Array.from({ length: 1 + Math.floor(rand() * 40) }, () => Math.floor(rand() * 256)));
  switch (pick) {
    case 0: // invalid UTF-8
      return frame(Buffer.concat([Buffer.from('{"id":1,"method":"'), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from('"}')]));
    case 1: // not JSON
      return frame(Buffer.from(`{"id":${i},"method":"status"`.slice(0, 1 + Math.floor(rand() * 25))));
    case 2: // random bytes
      return frame(junk);
    case 3: // JSON of the wrong shape
      return frame(Buffer.from(JSON.stringify([null, 1, 'x', [], true, { a: 1 }][Math.floor(rand() * 6)])));
    case 4: // unknown method
      return frame(Buffer.from(JSON.stringify({ id: i, method: ['nope', '__proto__', 'constructor', 'x'.repeat(64)][i % 4] })));
    case 5: // wrong param types for known methods
      return frame(Buffer.from(JSON.stringify({ id: i, method: ['status', 'ping', 'hello', 'account.register'][i % 4], params: [1, 'x', { protocol: 'one' }, { extra: true }][i % 4] })));
    case 6: // wrong id types
      return frame(Buffer.from(JSON.stringify({ id: [{}, -1, 1.5, '', 'x'.repeat(65)][i % 5], method: 'status' })));
    case 7: // extra envelope fields
      return frame(Buffer.from(JSON.stringify({ id: i, method: 'status', params: {}, evil: 1 })));
    default: // empty body
      return frame(Buffer.alloc(0));
  }
}

describe('a running host under 10,000 malformed frames', () => {
  const home = tempDir('fuzz');
  let host: HostProcess;

  beforeAll(async () => {
    host = spawnHost(home.path);
    expect(await host.hello()).toMatchObject({ result: { role: 'primary' } });
  });
  afterAll(async () => {
    host.child.kill('SIGKILL');
    home.remove();
  });

  it('answers every malformed frame with an error and keeps answering status', async () => {
    const rand = prng(20261126);
    const before = host.frames.messages.length;
    const N = 10_000;
    const chunks: Buffer[] = [];
    for (let i = 0; i < N; i++) chunks.push(malformed(rand, 1000 + i));
    // Feed it in ragged slices so frames also straddle reads.
    const all = Buffer.concat(chunks);
    for (let off = 0; off < all.length; ) {
      const n = 1 + Math.floor(rand() * 4096);
      host.writeRaw(all.subarray(off, off + n));
      off += n;
    }
    const status = await host.request('status', undefined, 30_000);
    expect(status).toMatchObject({ result: { host: { role: 'primary' } } });
    // Replies only: not the host's pushes, nor its own requests to the browser (media.retain on attach).
    const replies = (host.frames.messages.slice(before, -1) as { id?: unknown; event?: string; method?: string; error?: { code: number } }[]).filter(
      (m) => m.event === undefined && m.method === undefined,
    );
    expect(replies).toHaveLength(N);
    expect(replies.every((r) => r.error && typeof r.error.code === 'number')).toBe(true);
    const codes = new Set(replies.map((r) => r.error!.code));
    for (const c of [ErrorCode.INVALID_UTF8, ErrorCode.PARSE_ERROR, ErrorCode.INVALID_REQUEST, ErrorCode.UNKNOWN_METHOD, ErrorCode.INVALID_PARAMS]) {
      expect(codes).toContain(c);
    }
  });

  it('skips an oversize frame and stays in sync', async () => {
    host.writeRaw(frame(Buffer.alloc(5 * 1024 * 1024, 0x20)));
    const reply = await host.frames.waitFor((m) => m?.error?.code === ErrorCode.FRAME_TOO_LARGE);
    expect(reply).toMatchObject({ id: null });
    expect(await host.request('ping', { t: 7 })).toMatchObject({ result: { t: 7 } });
  });

  it('refuses a corrupt control-socket stream without disturbing the browser channel', async () => {
    const sock = join(home.path, 'run', 'control.sock');
    for (let i = 0; i < 50; i++) {
      await new Promise<void>((resolve, reject) => {
        const s = connect(sock);
        let got = Buffer.alloc(0);
        s.on('data', (d) => (got = Buffer.concat([got, d])));
        s.on('close', () => {
          // The refusal names the reason before the socket closes.
          expect(got.subarray(4).toString()).toContain(String(ErrorCode.STREAM_CORRUPT));
          resolve();
        });
        s.on('error', reject);
        s.write(frame(Buffer.from('x'), 0xfffffff0 - i));
      });
    }
    expect(await host.request('status')).toMatchObject({ result: { host: { role: 'primary' } } });
  });

  it('never wrote anything but whole JSON frames to stdout', () => {
    expect(host.frames.errors).toEqual([]);
    expect(host.frames.pendingBytes).toBe(0);
    expect(host.frames.messages.length).toBeGreaterThan(10_000);
  });
});

describe('host lifecycle', () => {
  it('exits cleanly on EOF in the middle of a frame', async () => {
    const home = tempDir('eof');
    const host = spawnHost(home.path);
    await host.hello();
    host.writeRaw(frame(Buffer.from('{"id":1'), 50));
    host.child.stdin!.end();
    expect(await host.exited).toBe(0);
    home.remove();
  });

  it('exits cleanly on SIGTERM', async () => {
    const home = tempDir('term');
    const host = spawnHost(home.path);
    await host.hello();
    host.child.kill('SIGTERM');
    expect(await host.exited).toBe(0);
    home.remove();
  });
});
