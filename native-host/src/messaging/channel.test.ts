import { endianness } from 'node:os';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  ErrorCode,
  MAX_OUTGOING_FRAME_BYTES,
  MAX_SKIPPABLE_FRAME_BYTES,
  ProtocolError,
} from '../../../shared/protocol';
import { Channel } from './channel';
import { encodeFrame, FrameDecoder } from './framing';

/** A 4-byte native-order length header, as a browser writes it. */
function header(length: number): Buffer {
  const b = Buffer.alloc(4);
  if (endianness() === 'LE') b.writeUInt32LE(length, 0);
  else b.writeUInt32BE(length, 0);
  return b;
}

const tick = () => new Promise<void>((r) => setImmediate(r));

function setup(maxFrameBytes?: number) {
  const input = new PassThrough();
  const output = new PassThrough();
  const messages: unknown[] = [];
  const bad: [number, string][] = [];
  const closes: string[] = [];
  const outFrames: unknown[] = [];
  const outDecoder = new FrameDecoder({ maxFrameBytes: 2 * MAX_OUTGOING_FRAME_BYTES });
  let outBytes = 0;
  output.on('data', (chunk: Buffer) => {
    outBytes += chunk.length;
    for (const d of outDecoder.push(chunk)) {
      if (d.kind !== 'message') throw new Error(`host wrote a bad frame: ${d.message}`);
      outFrames.push(d.value);
    }
  });
  const channel = new Channel(
    input,
    output,
    {
      onMessage: (v) => messages.push(v),
      onBadFrame: (code, message) => bad.push([code, message]),
      onClose: (reason) => closes.push(reason),
    },
    maxFrameBytes,
  );
  return { input, output, channel, messages, bad, closes, outFrames, outBytes: () => outBytes };
}

describe('Channel', () => {
  it('decodes frames from the input, however they are chunked', async () => {
    const t = setup();
    const msgs = [{ id: 1, method: 'hello' }, { id: 2, method: 'ping', params: { t: 1 } }, { id: 'x', method: 'é😀' }];
    const bytes = Buffer.concat(msgs.map((m) => encodeFrame(m)));
    // Deliberately awkward cuts: inside a header, inside a body, across frames.
    for (const [a, b] of [
      [0, 2],
      [2, 7],
      [7, 40],
      [40, bytes.length],
    ] as const) {
      t.input.write(bytes.subarray(a, b));
      await tick();
    }
    expect(t.messages).toEqual(msgs);
    expect(t.bad).toEqual([]);
    expect(t.closes).toEqual([]);
  });

  it('writes each sent message as one frame', async () => {
    const t = setup();
    t.channel.send({ id: 1, result: { ok: true } });
    t.channel.send({ event: 'registration', data: { state: 'registered' } });
    t.channel.send({ id: null, error: { code: 1000, message: 'bad' } });
    await tick();
    expect(t.outFrames).toEqual([
      { id: 1, result: { ok: true } },
      { event: 'registration', data: { state: 'registered' } },
      { id: null, error: { code: 1000, message: 'bad' } },
    ]);
  });

  it('reports a bad frame and keeps reading', async () => {
    const t = setup();
    const body = Buffer.from('{not json');
    t.input.write(Buffer.concat([header(body.length), body, encodeFrame({ id: 3, method: 'ping' })]));
    await tick();
    expect(t.bad).toHaveLength(1);
    expect(t.bad[0]![0]).toBe(ErrorCode.PARSE_ERROR);
    expect(t.messages).toEqual([{ id: 3, method: 'ping' }]);
    expect(t.closes).toEqual([]);
    expect(t.channel.isClosed).toBe(false);
  });

  it('skips a frame over its cap with FRAME_TOO_LARGE and stays in sync', async () => {
    const t = setup(64);
    const big = Buffer.from(JSON.stringify('y'.repeat(200)));
    t.input.write(Buffer.concat([header(big.length), big.subarray(0, 50)]));
    await tick();
    t.input.write(Buffer.concat([big.subarray(50), encodeFrame({ id: 4, method: 'ping' })]));
    await tick();
    expect(t.bad.map(([c]) => c)).toEqual([ErrorCode.FRAME_TOO_LARGE]);
    expect(t.messages).toEqual([{ id: 4, method: 'ping' }]);
    expect(t.closes).toEqual([]);
  });

  it('answers a frame announcing more than 64 MiB with an id-null error and closes as corrupt', async () => {
    const t = setup();
    t.input.write(Buffer.concat([encodeFrame({ id: 1, method: 'ping' }), header(MAX_SKIPPABLE_FRAME_BYTES + 1)]));
    await tick();
    expect(t.messages).toEqual([{ id: 1, method: 'ping' }]);
    expect(t.outFrames).toEqual([{ id: null, error: { code: ErrorCode.STREAM_CORRUPT, message: expect.any(String) } }]);
    expect(t.closes).toEqual(['corrupt']);
    expect(t.channel.isClosed).toBe(true);
    // Nothing more is read or written.
    t.input.write(encodeFrame({ id: 2, method: 'ping' }));
    t.channel.send({ id: 2, result: {} });
    await tick();
    expect(t.messages).toHaveLength(1);
    expect(t.outFrames).toHaveLength(1);
    expect(t.bad).toEqual([]);
  });

  it('replaces a reply over 1 MB with RESULT_TOO_LARGE (1008) for the same id', async () => {
    const t = setup();
    t.channel.send({ id: 7, result: 'z'.repeat(MAX_OUTGOING_FRAME_BYTES) });
    t.channel.send({ id: 'big', result: { list: Array.from({ length: 200_000 }, (_, i) => i) } });
    await tick();
    expect(t.outFrames).toEqual([
      { id: 7, error: { code: ErrorCode.RESULT_TOO_LARGE, message: expect.stringMatching(/exceeds/) } },
      { id: 'big', error: { code: ErrorCode.RESULT_TOO_LARGE, message: expect.any(String) } },
    ]);
    expect(t.outBytes()).toBeLessThan(1000);
    expect(t.channel.isClosed).toBe(false);
  });

  it('sends a reply just under the limit unchanged', async () => {
    const t = setup();
    const overhead = JSON.stringify({ id: 7, result: '' }).length;
    const result = 'z'.repeat(MAX_OUTGOING_FRAME_BYTES - overhead);
    t.channel.send({ id: 7, result });
    await tick();
    expect(t.outFrames).toEqual([{ id: 7, result }]);
  });

  it('refuses a push over 1 MB (no id to answer) without writing anything', async () => {
    const t = setup();
    let thrown: unknown;
    try {
      t.channel.send({ event: 'x', data: 'z'.repeat(MAX_OUTGOING_FRAME_BYTES) });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ProtocolError);
    expect((thrown as ProtocolError).code).toBe(ErrorCode.RESULT_TOO_LARGE);
    await tick();
    expect(t.outBytes()).toBe(0);
  });

  it('closes with eof when the input ends, once', async () => {
    const t = setup();
    t.input.end(encodeFrame({ id: 1, method: 'ping' }));
    await tick();
    await tick();
    expect(t.messages).toEqual([{ id: 1, method: 'ping' }]);
    expect(t.closes).toEqual(['eof']);
    t.channel.close('error');
    expect(t.closes).toEqual(['eof']);
    t.channel.send({ id: 1, result: {} });
    await tick();
    expect(t.outFrames).toEqual([]);
  });

  it('closes with error when the input or the output fails', async () => {
    const a = setup();
    a.input.destroy(new Error('EPIPE'));
    await tick();
    expect(a.closes).toEqual(['error']);

    const b = setup();
    b.output.destroy(new Error('EPIPE'));
    await tick();
    expect(b.closes).toEqual(['error']);
  });
});
