import type { RTCSession } from 'jssip/lib/RTCSession';
import { ErrorCode, ProtocolError } from '../../../shared/protocol';

/** How long a transfer the far end accepted may stay silent before it counts as under way. */
export const TRANSFER_VERDICT_MS = 6000;

/** A SIP status from the network (a NOTIFY's sipfrag may carry anything): a number in 100–699, or nothing. */
export function sipStatus(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d{3}$/.test(value) ? Number(value) : NaN;
  return Number.isInteger(n) && n >= 100 && n <= 699 ? n : undefined;
}

/**
 * The outcome of a blind transfer (REFER) of an answered call: resolves once the target rings or
 * answers (NOTIFY 18x/2xx), or when the far end accepted the REFER and says nothing more within
 * TRANSFER_VERDICT_MS; rejects with CALL_FAILED ({target, code?}) when the PBX refuses the REFER,
 * the transferee's call fails (a NOTIFY ≥ 300) or our call ends first. `onRefused` logs why.
 */
export function blindTransfer(session: RTCSession, uri: string, target: string, onRefused: (status: number | undefined, why: string) => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    let referAccepted = false;
    const settle = (err?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      session.removeListener('ended', onEnded);
      session.removeListener('failed', onEnded);
      if (err) reject(err);
      else resolve();
    };
    const timer = setTimeout(() => {
      if (referAccepted) settle();
      else settle(new ProtocolError(ErrorCode.CALL_FAILED, `the transfer to ${target} failed: the far end did not answer the REFER`, { target }));
    }, TRANSFER_VERDICT_MS);
    timer.unref?.();
    const onEnded = () => settle(new ProtocolError(ErrorCode.CALL_FAILED, `the transfer to ${target} failed: the call ended first`, { target }));
    session.on('ended', onEnded);
    session.on('failed', onEnded);
    const refused = (status: number | undefined, why: string) => {
      onRefused(status, why);
      settle(new ProtocolError(ErrorCode.CALL_FAILED, `the transfer to ${target} failed: ${status !== undefined ? `SIP ${status}` : why}`, { target, ...(status !== undefined ? { code: status } : {}) }));
    };
    session.refer(uri, {
      eventHandlers: {
        requestSucceeded: () => (referAccepted = true),
        progress: (e: { status_line?: { status_code?: unknown } }) => {
          if ((sipStatus(e?.status_line?.status_code) ?? 0) >= 180) settle();
        },
        accepted: () => {
          settle();
          // JsSIP does not end the transferred leg itself (NOTES-ENV).
          if (!session.isEnded()) session.terminate();
        },
        failed: (e: { status_line?: { status_code?: unknown } }) => refused(sipStatus(e?.status_line?.status_code), 'transfer failed'),
        requestFailed: (e: { response?: { status_code?: unknown }; cause?: unknown }) =>
          refused(sipStatus(e?.response?.status_code), `transfer refused (${String(e?.cause ?? 'no reason').slice(0, 64)})`),
      },
    } as never);
  });
}
