import WebSocket from 'ws';

/**
 * JsSIP's Socket interface over the `ws` package. JsSIP's own WebSocketInterface expects a
 * browser-style global WebSocket; giving it a socket object keeps globals untouched in Node.
 */
export class WsSocket {
  readonly via_transport: string;
  readonly url: string;
  readonly sip_uri: string;
  onconnect: () => void = () => undefined;
  ondisconnect: (error: boolean, code?: number, reason?: string) => void = () => undefined;
  ondata: (data: string) => void = () => undefined;
  /** A received message whose handling threw, with its first line (logged by the owner; the socket stays up). */
  onerror: (err: unknown, head: string) => void = () => undefined;
  private ws: WebSocket | undefined;

  constructor(url: string) {
    const parsed = new URL(url);
    if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') {
      throw new Error(`not a WebSocket URL: ${url}`);
    }
    this.url = url;
    this.via_transport = parsed.protocol === 'wss:' ? 'WSS' : 'WS';
    this.sip_uri = `sip:${parsed.host};transport=ws;lr`;
  }

  connect(): void {
    this.disconnect();
    const ws = new WebSocket(this.url, 'sip', { handshakeTimeout: 5000, maxPayload: 1024 * 1024 });
    this.ws = ws;
    ws.on('open', () => this.onconnect());
    ws.on('message', (data, isBinary) => {
      try {
        this.ondata(isBinary ? (data as Buffer).toString('utf8') : data.toString());
      } catch (err) {
        // A message JsSIP cannot handle is dropped, never thrown out of the socket: an uncaught
        // exception here would end the host and every call with it.
        this.onerror(err, (data.toString().split('\r\n', 1)[0] ?? '').slice(0, 200));
      }
    });
    ws.on('close', (code, reason) => {
      if (this.ws !== ws) return;
      this.ws = undefined;
      this.ondisconnect(code !== 1000, code, reason.toString());
    });
    // Errors are always followed by 'close', which reports them to JsSIP.
    ws.on('error', () => undefined);
  }

  disconnect(): void {
    const ws = this.ws;
    if (!ws) return;
    this.ws = undefined;
    ws.removeAllListeners();
    ws.on('error', () => undefined);
    if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
    else ws.close();
  }

  send(message: string): boolean {
    if (this.ws?.readyState !== WebSocket.OPEN) return false;
    this.ws.send(message);
    return true;
  }

  isConnected(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  isConnecting(): boolean {
    return this.ws?.readyState === WebSocket.CONNECTING;
  }
}
