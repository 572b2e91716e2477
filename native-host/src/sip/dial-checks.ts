import { describeFailure, ErrorCode, ProtocolError, type CallInfo } from '../../../shared/protocol';
import { callEnd } from './end-reason';

/** A call that ended before it started, for the caller: one sentence, the end kept in data. */
export function failedError(what: string, info: CallInfo): ProtocolError {
  const end = info.end ?? callEnd('system', 'Terminated');
  return new ProtocolError(ErrorCode.CALL_FAILED, `${what} to ${info.remote.number || 'that number'} did not start: ${describeFailure(end)}`, { end });
}

/** The external id travels in an INVITE header: printable ASCII only, no separators. */
export const EXT_ID = /^[A-Za-z0-9 ._:/#@+=-]{1,64}$/;
