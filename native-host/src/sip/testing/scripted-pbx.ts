import { WebSocketServer, type WebSocket } from 'ws';

/**
 * A SIP-over-WebSocket peer for tests that must send what the sandbox Kamailio would refuse to
 * relay (a From user the PBX did not authenticate, undecodable escapes): it accepts any REGISTER
 * and sends raw INVITE/CANCEL text to the registered client. Tests only.
 */
export interface ScriptedPbx {
  url: string;
  /** Every SIP message the client sent. */
  received: string[];
  /** Resolves when the client has registered. */
  registered: Promise<void>;
  send(text: string): void;
  /** Waits for a message the client sent that matches. */
  waitFor(match: (text: string) => boolean, ms?: number): Promise<string>;
  close(): Promise<void>;
}

const header = (msg: string, name: string) => new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(msg)?.[1]?.trim() ?? '';

export async function startScriptedPbx(): Promise<ScriptedPbx> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: () => 'sip' });
  await new Promise<void>((r) => server.once('listening', () => r()));
  const { port } = server.address() as { port: number };
  const received: string[] = [];
  const waiters: { match: (t: string) => boolean; resolve: (t: string) => void }[] = [];
  let client: WebSocket | undefined;
  let onRegistered: () => void = () => undefined;
  const registered = new Promise<void>((r) => (onRegistered = r));

  server.on('connection', (ws) => {
    client = ws;
    ws.on('message', (data) => {
      const text = data.toString();
      received.push(text);
      for (const w of [...waiters]) {
        if (w.match(text)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(text);
        }
      }
      if (/^REGISTER /.test(text)) {
        ws.send(
          [
            'SIP/2.0 200 OK',
            `Via: ${header(text, 'Via')}`,
            `From: ${header(text, 'From')}`,
            `To: ${header(text, 'To')};tag=reg1`,
            `Call-ID: ${header(text, 'Call-ID')}`,
            `CSeq: ${header(text, 'CSeq')}`,
            `Contact: ${header(text, 'Contact').replace(/;expires=\d+/, '')};expires=300`,
            'Content-Length: 0',
            '',
            '',
          ].join('\r\n'),
        );
        onRegistered();
      }
    });
  });

  return {
    url: `ws://127.0.0.1:${port}`,
    received,
    registered,
    send(text) {
      if (!client) throw new Error('no client connected');
      client.send(text);
    },
    waitFor(match, ms = 5000) {
      const seen = received.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('timed out waiting for a SIP message')), ms);
        waiters.push({ match, resolve: (t) => (clearTimeout(timer), resolve(t)) });
      });
    },
    async close() {
      for (const ws of server.clients) ws.terminate();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** An initial INVITE (no SDP: a late offer) from `from` to the client's AOR user; CANCEL with the same ids. */
export function inviteText(o: { callId: string; from: string; to?: string; extra?: string[] }): { invite: string; cancel: string } {
  const via = `SIP/2.0/WS 127.0.0.1:5060;branch=z9hG4bK-${o.callId}`;
  const to = o.to ?? '<sip:1001@pbx.test>';
  const lines = (method: string, cseq: string, extra: string[]) =>
    [`${method} sip:1001@pbx.test SIP/2.0`, `Via: ${via}`, 'Max-Forwards: 70', `From: ${o.from};tag=f-${o.callId}`, `To: ${to}`, `Call-ID: ${o.callId}`, `CSeq: ${cseq}`, ...extra, 'Content-Length: 0', '', ''].join('\r\n');
  return {
    invite: lines('INVITE', '1 INVITE', ['Contact: <sip:caller@127.0.0.1:5060;transport=ws>', ...(o.extra ?? [])]),
    cancel: lines('CANCEL', '1 CANCEL', []),
  };
}
