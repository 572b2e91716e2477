import { describe, expect, it } from 'vitest';
import { contentLength, readDatagram, SipStreamFramer, type FrameEvent } from './sip-framing';

const msg = (body = '', extra = '') =>
  `OPTIONS sip:1001@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bK1\r\nCall-ID: a\r\nCSeq: 1 OPTIONS\r\n${extra}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
const reply = 'SIP/2.0 200 OK\r\nVia: SIP/2.0/TCP 127.0.0.1:40000;branch=z9hG4bK2\r\nCSeq: 2 REGISTER\r\nl: 0\r\n\r\n';

function feed(framer: SipStreamFramer, chunks: Buffer[]): FrameEvent[] {
  return chunks.flatMap((c) => framer.push(c));
}

describe('SipStreamFramer', () => {
  const stream = Buffer.from(`${msg('v=0\r\nè\r\n')}\r\n\r\n${reply}${msg()}\r\n`);
  const expected: FrameEvent[] = [
    { kind: 'message', text: msg('v=0\r\nè\r\n') },
    { kind: 'ping' },
    { kind: 'message', text: reply },
    { kind: 'message', text: msg() },
  ];

  it('splits merged messages, pings and bodies counted in bytes', () => {
    const framer = new SipStreamFramer();
    expect(feed(framer, [stream])).toEqual(expected);
    // The trailing lone CRLF is held: it may be the start of a ping.
    expect(framer.pending).toBe(2);
    expect(framer.push(Buffer.from('SIP/2.0 100 Trying\r\nl:0\r\n\r\n'))).toEqual([{ kind: 'pong' }, { kind: 'message', text: 'SIP/2.0 100 Trying\r\nl:0\r\n\r\n' }]);
  });

  it('gives the same messages whatever byte boundaries the stream is cut at', () => {
    for (let cut = 1; cut < stream.length; cut++) {
      const framer = new SipStreamFramer();
      expect(feed(framer, [stream.subarray(0, cut), stream.subarray(cut)]), `cut at ${cut}`).toEqual(expected);
    }
    const framer = new SipStreamFramer();
    expect(feed(framer, [...stream].map((b) => Buffer.from([b])))).toEqual(expected);
  });

  it('waits for a message cut in the middle', () => {
    const framer = new SipStreamFramer();
    const whole = Buffer.from(msg('0123456789'));
    expect(framer.push(whole.subarray(0, whole.length - 3))).toEqual([]);
    expect(framer.pending).toBe(whole.length - 3);
  });

  it('refuses an oversize header or body, garbage and a missing Content-Length, then stays silent', () => {
    const header = new SipStreamFramer(1024);
    const events = header.push(Buffer.from(`INVITE sip:a@b SIP/2.0\r\nX-Big: ${'a'.repeat(2000)}`));
    expect(events).toEqual([{ kind: 'error', reason: 'oversize', detail: expect.stringContaining('no end of headers within 1024 bytes') }]);
    expect(header.push(Buffer.from(msg()))).toEqual([]);

    const body = new SipStreamFramer(1024);
    expect(body.push(Buffer.from(msg('x'.repeat(2000)).slice(0, 300)))).toEqual([{ kind: 'error', reason: 'oversize', detail: expect.stringContaining('over the 1024-byte limit') }]);

    expect(new SipStreamFramer().push(Buffer.from('GET / HTTP/1.1\r\n'))).toEqual([{ kind: 'error', reason: 'not-sip', detail: 'not a SIP start line: GET / HTTP/1.1' }]);
    expect(new SipStreamFramer().push(Buffer.from([0x16, 0x03, 0x01, 0x0d, 0x0a]))).toEqual([{ kind: 'error', reason: 'not-sip', detail: 'not a SIP start line: ???' }]);
    expect(new SipStreamFramer().push(Buffer.from('SIP/2.0 200 OK\r\nCSeq: 1 X\r\n\r\n'))[0]).toMatchObject({ kind: 'error', reason: 'bad-length' });
    expect(new SipStreamFramer().push(Buffer.from('SIP/2.0 200 OK\r\nContent-Length: 1\r\nl: 2\r\n\r\nab'))[0]).toMatchObject({ kind: 'error', reason: 'bad-length' });
  });
});

describe('contentLength', () => {
  it('reads the long and compact forms, refuses junk and contradictions', () => {
    expect(contentLength('X\r\nContent-Length: 12')).toBe(12);
    expect(contentLength('X\r\nl:3')).toBe(3);
    expect(contentLength('X\r\nCall-ID: l: 3')).toBeUndefined();
    expect(contentLength('X\r\nContent-Length: -1')).toBeNaN();
    expect(contentLength('X\r\nContent-Length: 99999999999')).toBeNaN();
  });
});

describe('readDatagram', () => {
  it('one message per datagram; a shorter Content-Length cuts the body', () => {
    expect(readDatagram(Buffer.from(msg('abc')))).toEqual({ kind: 'message', text: msg('abc') });
    expect(readDatagram(Buffer.from(`${msg('abc')}garbage`))).toEqual({ kind: 'message', text: msg('abc') });
    expect(readDatagram(Buffer.from('\r\n\r\n'))).toEqual({ kind: 'keepalive' });
    expect(readDatagram(Buffer.alloc(0))).toEqual({ kind: 'keepalive' });
  });

  it('drops what is not SIP, is cut short or is too big, with a reason', () => {
    expect(readDatagram(Buffer.from('\x00\x01STUN'))).toEqual({ kind: 'drop', detail: 'not SIP: ??STUN' });
    expect(readDatagram(Buffer.from(msg('abcdef')).subarray(0, -2))).toMatchObject({ kind: 'drop', detail: expect.stringContaining('Content-Length 6 > 4 body bytes') });
    expect(readDatagram(Buffer.from('INVITE sip:a@b SIP/2.0\r\nVia: x'))).toMatchObject({ kind: 'drop', detail: expect.stringContaining('no end of headers') });
    expect(readDatagram(Buffer.from(msg('', `X-Big: ${'a'.repeat(64 * 1024)}\r\n`)))).toMatchObject({ kind: 'drop', detail: expect.stringContaining('over the 32768-byte limit') });
  });
});
