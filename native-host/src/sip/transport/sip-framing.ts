/**
 * SIP message boundaries, pure (no sockets): a stream (TCP/TLS, RFC 3261 18.3: Content-Length
 * decides where a message ends; RFC 5626 3.5.1: CRLFCRLF is a keep-alive ping, a lone CRLF its
 * pong) and a datagram (UDP: one message per datagram, a shorter Content-Length cuts the body).
 * Byte counts, not characters: Content-Length counts octets of UTF-8.
 */

/** Far above any real message (JsSIP's INVITEs are ~2–4 KB), far below what could hurt memory. */
export const MAX_SIP_MESSAGE_BYTES = 32 * 1024;

export type FrameEvent =
  | { kind: 'message'; text: string }
  | { kind: 'ping' }
  | { kind: 'pong' }
  /** The stream cannot be trusted past this point: the caller logs `detail` and resets the connection. */
  | { kind: 'error'; reason: 'oversize' | 'not-sip' | 'bad-length'; detail: string };

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');
const START_LINE = /^(?:SIP\/2\.0 [1-6]\d\d(?: |$)|[A-Za-z]+ \S+ SIP\/2\.0$)/;

/** The start line for a log line: printable ASCII only, cut short. */
export function describeHead(bytes: Buffer): string {
  const end = bytes.indexOf(CRLF);
  return bytes
    .subarray(0, Math.min(end < 0 ? bytes.length : end, 80))
    .toString('latin1')
    .replace(/[^\x20-\x7e]/g, '?');
}

/** Content-Length (or its compact form `l`) of a header block; undefined when absent; NaN when unreadable or contradictory. */
export function contentLength(headers: string): number | undefined {
  let found: number | undefined;
  for (const line of headers.split('\r\n').slice(1)) {
    const m = /^(?:content-length|l)[ \t]*:[ \t]*(.*?)[ \t]*$/i.exec(line);
    if (!m) continue;
    const value = /^\d{1,9}$/.test(m[1] ?? '') ? Number(m[1]) : NaN;
    if (Number.isNaN(value) || (found !== undefined && found !== value)) return NaN;
    found = value;
  }
  return found;
}

export class SipStreamFramer {
  private buffer: Buffer = Buffer.alloc(0);
  private failed = false;

  constructor(private readonly maxBytes: number = MAX_SIP_MESSAGE_BYTES) {}

  /** Bytes held for a message not complete yet. */
  get pending(): number {
    return this.buffer.length;
  }

  push(chunk: Buffer): FrameEvent[] {
    if (this.failed) return [];
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const out: FrameEvent[] = [];
    for (;;) {
      const event = this.next();
      if (!event) break;
      out.push(event);
      if (event.kind === 'error') {
        this.failed = true;
        this.buffer = Buffer.alloc(0);
        break;
      }
    }
    return out;
  }

  private next(): FrameEvent | undefined {
    const b = this.buffer;
    if (b.length === 0) return undefined;
    if (b[0] === 0x0d && b[1] === 0x0a) {
      if (b.length >= 4 && b.subarray(0, 4).equals(HEADER_END)) return this.consume(4, { kind: 'ping' });
      // A lone CRLF (or CRLF CR) may be the first half of a ping: wait for the next bytes.
      if (b.length === 2 || (b.length === 3 && b[2] === 0x0d)) return undefined;
      return this.consume(2, { kind: 'pong' });
    }
    if (b.length === 1 && b[0] === 0x0d) return undefined;
    const end = b.indexOf(HEADER_END);
    if (end < 0) {
      if (b.length > this.maxBytes) return { kind: 'error', reason: 'oversize', detail: `no end of headers within ${this.maxBytes} bytes (${describeHead(b)})` };
      // A start line that can never be SIP need not wait for the rest.
      const lineEnd = b.indexOf(CRLF);
      if (lineEnd >= 0 && !START_LINE.test(b.subarray(0, lineEnd).toString('latin1'))) {
        return { kind: 'error', reason: 'not-sip', detail: `not a SIP start line: ${describeHead(b)}` };
      }
      return undefined;
    }
    const headers = b.subarray(0, end).toString('utf8');
    if (!START_LINE.test(headers.split('\r\n', 1)[0] ?? '')) return { kind: 'error', reason: 'not-sip', detail: `not a SIP start line: ${describeHead(b)}` };
    const length = contentLength(headers);
    if (length === undefined || Number.isNaN(length)) {
      // RFC 3261 18.3: over a stream Content-Length is mandatory; without it the next boundary is unknown.
      return { kind: 'error', reason: 'bad-length', detail: `${length === undefined ? 'no' : 'an unreadable'} Content-Length over a stream (${describeHead(b)})` };
    }
    const total = end + 4 + length;
    if (total > this.maxBytes) return { kind: 'error', reason: 'oversize', detail: `a ${total}-byte message, over the ${this.maxBytes}-byte limit (${describeHead(b)})` };
    if (b.length < total) return undefined;
    return this.consume(total, { kind: 'message', text: b.subarray(0, total).toString('utf8') });
  }

  private consume(n: number, event: FrameEvent): FrameEvent {
    this.buffer = this.buffer.subarray(n);
    return event;
  }
}

export type DatagramResult = { kind: 'message'; text: string } | { kind: 'keepalive' } | { kind: 'drop'; detail: string };

/** One UDP datagram: a SIP message, a keep-alive (CRLFs or a NAT's empty probe), or something to drop with a log line. */
export function readDatagram(datagram: Buffer, maxBytes: number = MAX_SIP_MESSAGE_BYTES): DatagramResult {
  if (datagram.length === 0 || /^(?:\r\n)+$/.test(datagram.toString('latin1'))) return { kind: 'keepalive' };
  if (datagram.length > maxBytes) return { kind: 'drop', detail: `a ${datagram.length}-byte datagram, over the ${maxBytes}-byte limit (${describeHead(datagram)})` };
  const end = datagram.indexOf(HEADER_END);
  const headerBytes = end < 0 ? datagram : datagram.subarray(0, end);
  const headers = headerBytes.toString('utf8');
  if (!START_LINE.test(headers.split('\r\n', 1)[0] ?? '')) return { kind: 'drop', detail: `not SIP: ${describeHead(datagram)}` };
  if (end < 0) return { kind: 'drop', detail: `no end of headers (${describeHead(datagram)})` };
  const length = contentLength(headers);
  const bodyBytes = datagram.length - end - 4;
  if (length !== undefined && (Number.isNaN(length) || length > bodyBytes)) {
    // RFC 3261 18.3: a datagram shorter than its Content-Length is discarded.
    return { kind: 'drop', detail: `Content-Length ${Number.isNaN(length) ? 'unreadable' : `${length} > ${bodyBytes} body bytes`} (${describeHead(datagram)})` };
  }
  const total = length === undefined ? datagram.length : end + 4 + length;
  return { kind: 'message', text: datagram.subarray(0, total).toString('utf8') };
}
