import { ErrorCode, ProtocolError } from '../../shared/protocol';

/** The engine's errors, as they cross the wire to the host. */
export function unknownPc(pcId: string, method: string): ProtocolError {
  return new ProtocolError(ErrorCode.INVALID_PARAMS, `${method}: no peer connection ${pcId} (never created, or already closed)`);
}

export function closedError(pcId: string, method: string): ProtocolError {
  return new ProtocolError(ErrorCode.INVALID_PARAMS, `${method}: peer connection ${pcId} was closed`);
}

/**
 * Browser failures cross the wire with the DOMException's name in `data.name`, so the host can
 * raise the same kind of error JsSIP would have seen from a local RTCPeerConnection.
 */
export function asProtocolError(err: unknown, method: string, pcId: string): ProtocolError {
  if (err instanceof ProtocolError) return err;
  const name = (err as { name?: string } | null)?.name ?? 'Error';
  const message = (err as { message?: string } | null)?.message ?? String(err);
  return new ProtocolError(ErrorCode.INTERNAL, `${method} on ${pcId} failed: ${name}: ${message}`, { name });
}
