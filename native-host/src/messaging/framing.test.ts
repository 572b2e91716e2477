import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../shared/protocol';
import { encodeFrame, FrameDecoder, type Decoded } from './framing';

function raw(body: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32LE(body.length, 0);
  return Buffer.concat([head, body]);
}

function messages(items: Decoded[]): unknown[] {
  return items.filter((d) => d.kind === 'message').map((d) => (d as { value: unknown }).value);
}

describe('FrameDecoder', () => {
  const msgs = [{ id: 1, method: 'hello' }, { event: 'x', data: 'é😀' }, { id: 'a', result: [1, 2, 3] }];
  const stream = Buffer.concat(msgs.map((m) => encodeFrame(m)));

  it('decodes several frames delivered in one chunk', () => {
    expect(messages(new FrameDecoder().push(stream))).toEqual(msgs);
  });

  it('decodes frames split at every byte boundary', () => {
    for (let cut = 1; cut < stream.length; cut++) {
      const d = new FrameDecoder();
      const out = [...d.push(stream.subarray(0, cut)), ...d.push(stream.subarray(cut))];
      expect(messages(out), `cut at ${cut}`).toEqual(msgs);
      expect(d.pendingBytes).toBe(0);
    }
  });

  it('decodes a stream fed one byte at a time', () => {
    const d = new FrameDecoder();
    const out: Decoded[] = [];
    for (const byte of stream) out.push(...d.push(Uint8Array.of(byte)));
    expect(messages(out)).toEqual(msgs);
  });

  it('reports bad JSON and keeps going', () => {
    const out = new FrameDecoder().push(Buffer.concat([raw(Buffer.from('{nope')), encodeFrame({ ok: 1 })]));
    expect(out[0]).toMatchObject({ kind: 'error', code: ErrorCode.PARSE_ERROR });
    expect(out[1]).toEqual({ kind: 'message', value: { ok: 1 } });
  });

  it('reports invalid UTF-8 and keeps going', () => {
    const out = new FrameDecoder().push(Buffer.concat([raw(Buffer.from([0x22, 0xc3, 0x28, 0x22])), encodeFrame(2)]));
    expect(out[0]).toMatchObject({ kind: 'error', code: ErrorCode.INVALID_UTF8 });
    expect(out[1]).toEqual({ kind: 'message', value: 2 });
  });

  it('skips an oversize frame whole, even across chunks, and stays in sync', () => {
    const d = new FrameDecoder({ maxFrameBytes: 16 });
    const big = raw(Buffer.from(JSON.stringify('x'.repeat(100))));
    const all = Buffer.concat([big, encodeFrame({ after: true })]);
    const out = [...d.push(all.subarray(0, 10)), ...d.push(all.subarray(10, 50)), ...d.push(all.subarray(50))];
    expect(out[0]).toMatchObject({ kind: 'error', code: ErrorCode.FRAME_TOO_LARGE });
    expect(messages(out)).toEqual([{ after: true }]);
  });

  it('declares the stream corrupt for a length no browser can send', () => {
    const d = new FrameDecoder();
    const head = Buffer.alloc(4);
    head.writeUInt32LE(0xffffffff, 0);
    const out = d.push(Buffer.concat([head, encodeFrame(1)]));
    expect(out).toEqual([expect.objectContaining({ kind: 'fatal', code: ErrorCode.STREAM_CORRUPT })]);
    expect(d.push(encodeFrame(1))).toEqual([]);
  });

  it('accepts an empty-body frame as a parse error, not a hang', () => {
    expect(new FrameDecoder().push(Buffer.alloc(4))).toEqual([
      expect.objectContaining({ kind: 'error', code: ErrorCode.PARSE_ERROR }),
    ]);
  });
});

describe('encodeFrame', () => {
  it('refuses a message over the outgoing cap', () => {
    expect(() => encodeFrame('x'.repeat(100), 50)).toThrowError(/exceeds/);
  });
  it('writes the length in native byte order', () => {
    const f = encodeFrame({ a: 1 });
    expect(f.readUInt32LE(0)).toBe(f.length - 4);
  });
});
