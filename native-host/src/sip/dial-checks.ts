import { describeFailure, ErrorCode, ProtocolError, type CallInfo } from '../../../shared/protocol';
import { DialStringError, toDialTarget, type DialFormat, type DialTarget } from '../../../shared/phone/dial-string';
import { callEnd } from './end-reason';
import { hostPortOf } from './sip-uri';

/** A call that ended before it started, for the caller: one sentence, the end kept in data. */
export function failedError(what: string, info: CallInfo): ProtocolError {
  const end = info.end ?? callEnd('system', 'Terminated');
  return new ProtocolError(ErrorCode.CALL_FAILED, `${what} to ${info.remote.number || 'that number'} did not start: ${describeFailure(end)}`, { end });
}

/** The external id travels in an INVITE header: printable ASCII only, no separators. */
export const EXT_ID = /^[A-Za-z0-9 ._:/#@+=-]{1,64}$/;

/** A typed number or address as the dialling format wants it, and the SIP URI to send it to (a refusal is INVALID_PARAMS). */
export function resolveDial(number: string, format: DialFormat, aor: string | undefined): { target: DialTarget; uri: string } {
  let target: DialTarget;
  try {
    target = toDialTarget(number, format);
  } catch (err) {
    if (err instanceof DialStringError) throw new ProtocolError(ErrorCode.INVALID_PARAMS, err.message);
    throw err;
  }
  return { target, uri: target.kind === 'uri' ? target.dial : `sip:${target.dial}@${hostPortOf(aor ?? '')}` };
}
