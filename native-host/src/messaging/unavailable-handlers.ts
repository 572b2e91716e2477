import { ErrorCode, hostMethods, ProtocolError } from '../../../shared/protocol';
import type { Handlers } from './rpc-session';

type Core = 'hello' | 'status' | 'ping' | 'account.register' | 'account.unregister';

/**
 * For tests of the session and the control socket: every method beyond the core answers
 * "not available", so adding a capability to the protocol does not touch those tests.
 */
export function unavailableHandlers(): Omit<Handlers, Core> {
  return Object.fromEntries(
    Object.keys(hostMethods)
      .filter((m) => !['hello', 'status', 'ping', 'account.register', 'account.unregister'].includes(m))
      .map((m) => [
        m,
        () => {
          throw new ProtocolError(ErrorCode.UNKNOWN_METHOD, `${m} not available`);
        },
      ]),
  ) as unknown as Omit<Handlers, Core>;
}
