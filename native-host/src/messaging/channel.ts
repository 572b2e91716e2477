import type { Readable, Writable } from 'node:stream';
import { ProtocolError, type Message } from '../../../shared/protocol';
import { encodeFrame, FrameDecoder, type Decoded } from './framing';

export interface ChannelHandlers {
  onMessage(value: unknown): void;
  /** A frame that could not be decoded; the stream is still usable. */
  onBadFrame(code: number, message: string): void;
  onClose(reason: 'eof' | 'corrupt' | 'error'): void;
}

/**
 * A framed, bidirectional message stream over any readable/writable pair: stdin/stdout for the
 * browser, a socket for the CLI.
 */
export class Channel {
  private readonly decoder: FrameDecoder;
  private closed = false;

  constructor(
    private readonly input: Readable,
    private readonly output: Writable,
    private readonly handlers: ChannelHandlers,
    maxFrameBytes?: number,
  ) {
    this.decoder = new FrameDecoder(maxFrameBytes ? { maxFrameBytes } : {});
    input.on('data', (chunk: Buffer) => this.feed(chunk));
    input.on('end', () => this.close('eof'));
    input.on('error', () => this.close('error'));
    output.on('error', () => this.close('error'));
  }

  get isClosed(): boolean {
    return this.closed;
  }

  send(message: Message): void {
    if (this.closed) return;
    let frame: Buffer;
    try {
      frame = encodeFrame(message);
    } catch (err) {
      if (err instanceof ProtocolError && 'id' in message && message.id !== undefined) {
        frame = encodeFrame({ id: message.id, error: err.toJSON() });
      } else {
        throw err;
      }
    }
    this.output.write(frame);
  }

  close(reason: 'eof' | 'corrupt' | 'error'): void {
    if (this.closed) return;
    this.closed = true;
    this.input.removeAllListeners('data');
    this.handlers.onClose(reason);
  }

  private feed(chunk: Buffer): void {
    for (const item of this.decoder.push(chunk)) this.dispatch(item);
  }

  private dispatch(item: Decoded): void {
    if (this.closed) return;
    switch (item.kind) {
      case 'message':
        this.handlers.onMessage(item.value);
        break;
      case 'error':
        this.handlers.onBadFrame(item.code, item.message);
        break;
      case 'fatal':
        this.send({ id: null, error: { code: item.code, message: item.message } });
        this.close('corrupt');
        break;
    }
  }
}
