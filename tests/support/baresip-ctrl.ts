import { connect } from 'node:net';

/**
 * Sends one command to a baresip bot's ctrl_tcp socket (JSON in a netstring) and resolves with
 * its response; baresip keeps the connection open, so the reply, not the close, ends the exchange.
 */
export function baresipCommand(ctrl: { host: string; port: number }, command: string, params = '', timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(ctrl.port, ctrl.host);
    let got = '';
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`baresip did not answer ${command} within ${timeoutMs} ms`));
    }, timeoutMs);
    s.on('connect', () => {
      const body = JSON.stringify({ command, params, token: 'test' });
      s.write(`${Buffer.byteLength(body)}:${body},`);
    });
    s.on('data', (d) => {
      got += d.toString();
      if (/"response"\s*:\s*true/.test(got) && got.trimEnd().endsWith(',')) {
        clearTimeout(timer);
        s.destroy();
        resolve(got);
      }
    });
    s.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}
