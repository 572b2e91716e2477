import { readFileSync } from 'node:fs';
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { checkServerIdentity, connect as tlsConnect, rootCertificates, type TLSSocket } from 'node:tls';
import type { SipTarget } from './resolve';

/**
 * Stable English heads of the causes the registration line shows (the extension translates them
 * by prefix: extension/lib/error-text.ts TRANSPORT_CAUSES). The detail after ": " is for support.
 */
export const CAUSE_TLS_CERT = 'TLS Certificate Error';
export const CAUSE_TLS_TIMEOUT = 'TLS Handshake Timeout';
export const CAUSE_DNS = 'DNS Error';

/** A connection attempt that failed, with the cause a user should see. */
export class TransportFailure extends Error {
  constructor(readonly reason: string, readonly permanent: boolean) {
    super(reason);
    this.name = 'TransportFailure';
  }
}

/** OpenSSL/Node verification codes: the certificate, not the network, is the problem. */
const CERT_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
]);

export function tlsCause(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string' || !CERT_CODES.has(code)) return undefined;
  const message = ((err as Error).message ?? '').split('\n', 1)[0]!.slice(0, 160);
  return `${CAUSE_TLS_CERT}: ${code === 'ERR_TLS_CERT_ALTNAME_INVALID' ? 'the certificate is for another name' : message} (${code})`;
}

/** The CAs a TLS server may chain to: the system store plus the account's extra PEM file. */
export function trustedCas(extraCaFile: string | undefined): string[] {
  if (!extraCaFile) return [...rootCertificates];
  let pem: string;
  try {
    pem = readFileSync(extraCaFile, 'utf8');
  } catch (err) {
    throw new TransportFailure(`${CAUSE_TLS_CERT}: cannot read the CA file ${extraCaFile} (${(err as NodeJS.ErrnoException).code ?? 'error'})`, true);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new TransportFailure(`${CAUSE_TLS_CERT}: ${extraCaFile} holds no PEM certificate`, true);
  return [...rootCertificates, pem];
}

export interface StreamConnectOptions {
  timeoutMs: number;
  tlsCaFile?: string | undefined;
}

/**
 * One TCP or TLS connection to a target, resolved once it may carry SIP (TLS: after the
 * handshake and certificate check). Never "accept all": an untrusted certificate fails with
 * CAUSE_TLS_CERT; a handshake that stalls fails with CAUSE_TLS_TIMEOUT after `timeoutMs`.
 */
export function connectStream(target: SipTarget, options: StreamConnectOptions): Promise<Socket | TLSSocket> {
  return new Promise((resolve, reject) => {
    let socket: Socket;
    try {
      socket =
        target.transport === 'tls'
          ? tlsConnect({
              host: target.address,
              port: target.port,
              // SNI carries names only; the identity check uses the name the user typed.
              ...(isIP(target.servername) ? {} : { servername: target.servername }),
              checkServerIdentity: (_host, cert) => checkServerIdentity(target.servername, cert),
              ca: trustedCas(options.tlsCaFile),
              rejectUnauthorized: true,
              minVersion: 'TLSv1.2',
            })
          : netConnect({ host: target.address, port: target.port });
    } catch (err) {
      reject(err instanceof TransportFailure ? err : new TransportFailure(`Connection Error: ${(err as Error).message}`, false));
      return;
    }
    let connected = false;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new TransportFailure(target.transport === 'tls' && connected ? `${CAUSE_TLS_TIMEOUT}: ${target.address}:${target.port}` : `Connection Error: no answer from ${target.address}:${target.port}`, false));
    }, options.timeoutMs);
    socket.once('connect', () => {
      connected = true;
    });
    socket.once(target.transport === 'tls' ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      socket.destroy();
      const cert = tlsCause(err);
      reject(new TransportFailure(cert ?? `Connection Error: ${(err as NodeJS.ErrnoException).code ?? err.message}`, cert !== undefined));
    });
  });
}

