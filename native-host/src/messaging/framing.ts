import { endianness } from 'node:os';
import {
  ErrorCode,
  MAX_INCOMING_FRAME_BYTES,
  MAX_OUTGOING_FRAME_BYTES,
  MAX_SKIPPABLE_FRAME_BYTES,
  ProtocolError,
  type ErrorCodeValue,
} from '../../../shared/protocol';

/**
 * Native-messaging framing: a 4-byte length in native byte order, then UTF-8 JSON.
 * Pure: bytes in, decoded items out; no streams, no I/O, so it is tested with chunks split at
 * every byte boundary.
 */
export type Decoded =
  | { kind: 'message'; value: unknown }
  /** A bad frame that was consumed whole: the stream is still in sync. */
  | { kind: 'error'; code: ErrorCodeValue; message: string }
  /** The stream cannot be resynchronised: the caller must close it. */
  | { kind: 'fatal'; code: ErrorCodeValue; message: string };

const littleEndian = endianness() === 'LE';

function readLength(buf: Buffer, offset: number): number {
  return littleEndian ? buf.readUInt32LE(offset) : buf.readUInt32BE(offset);
}

export interface DecoderOptions {
  maxFrameBytes?: number;
  maxSkippableBytes?: number;
}

export class FrameDecoder {
  private readonly maxFrame: number;
  private readonly maxSkippable: number;
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Bytes of an oversize frame still to discard. */
  private skipping = 0;
  private dead = false;
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true });

  constructor(options: DecoderOptions = {}) {
    this.maxFrame = options.maxFrameBytes ?? MAX_INCOMING_FRAME_BYTES;
    this.maxSkippable = options.maxSkippableBytes ?? MAX_SKIPPABLE_FRAME_BYTES;
  }

  /** Bytes held waiting for the rest of a frame. */
  get pendingBytes(): number {
    return this.buffered;
  }

  push(chunk: Uint8Array): Decoded[] {
    if (this.dead) return [];
    const out: Decoded[] = [];
    let data = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);

    if (this.skipping > 0) {
      const n = Math.min(this.skipping, data.length);
      this.skipping -= n;
      data = data.subarray(n);
      if (data.length === 0) return out;
    }
    this.chunks.push(data);
    this.buffered += data.length;

    while (this.buffered >= 4) {
      const head = this.take(4, false);
      const length = readLength(head, 0);
      if (length > this.maxFrame) {
        this.take(4, true);
        if (length > this.maxSkippable) {
          this.dead = true;
          this.chunks = [];
          this.buffered = 0;
          out.push({
            kind: 'fatal',
            code: ErrorCode.STREAM_CORRUPT,
            message: `frame length ${length} is beyond any valid frame; closing the stream`,
          });
          return out;
        }
        out.push({
          kind: 'error',
          code: ErrorCode.FRAME_TOO_LARGE,
          message: `frame of ${length} bytes exceeds the ${this.maxFrame}-byte limit`,
        });
        const inBuffer = Math.min(length, this.buffered);
        this.take(inBuffer, true);
        this.skipping = length - inBuffer;
        continue;
      }
      if (this.buffered < 4 + length) break;
      this.take(4, true);
      const body = this.take(length, true);
      out.push(this.decodeBody(body));
    }
    return out;
  }

  private decodeBody(body: Buffer): Decoded {
    let text: string;
    try {
      text = this.utf8.decode(body);
    } catch {
      return { kind: 'error', code: ErrorCode.INVALID_UTF8, message: 'frame is not valid UTF-8' };
    }
    try {
      return { kind: 'message', value: JSON.parse(text) as unknown };
    } catch (err) {
      return {
        kind: 'error',
        code: ErrorCode.PARSE_ERROR,
        message: `frame is not valid JSON: ${(err as Error).message}`,
      };
    }
  }

  /** Returns the first n buffered bytes, removing them when `consume`. */
  private take(n: number, consume: boolean): Buffer {
    let joined: Buffer;
    if (this.chunks.length === 1 || (this.chunks[0] && this.chunks[0].length >= n)) {
      joined = this.chunks[0]!;
    } else {
      joined = Buffer.concat(this.chunks);
      this.chunks = [joined];
    }
    const out = joined.subarray(0, n);
    if (consume) {
      const rest = joined.subarray(n);
      this.chunks[0] = rest;
      if (rest.length === 0) this.chunks.shift();
      this.buffered -= n;
    }
    return out;
  }
}

/** Encodes one message; refuses (RESULT_TOO_LARGE) what the browser would reject. */
export function encodeFrame(value: unknown, maxBytes = MAX_OUTGOING_FRAME_BYTES): Buffer {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  if (body.length > maxBytes) {
    throw new ProtocolError(
      ErrorCode.RESULT_TOO_LARGE,
      `message of ${body.length} bytes exceeds the ${maxBytes}-byte limit`,
    );
  }
  const frame = Buffer.allocUnsafe(4 + body.length);
  if (littleEndian) frame.writeUInt32LE(body.length, 0);
  else frame.writeUInt32BE(body.length, 0);
  body.copy(frame, 4);
  return frame;
}
