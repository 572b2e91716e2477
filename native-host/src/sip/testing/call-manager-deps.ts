import pino from 'pino';
import { DEFAULT_DIAL_FORMAT } from '../../../../shared/phone/dial-string';
import type { CallManagerDeps } from '../call-manager-deps';

/** A call manager's dependencies in unit tests: silent, no UA, not registered, no ICE servers; `over` replaces any of them. */
export function testCallManagerDeps(over: Partial<CallManagerDeps> = {}): CallManagerDeps {
  return {
    log: pino({ level: 'silent' }),
    ua: () => undefined,
    isRegistered: () => false,
    aor: () => 'sip:1001@pbx.test',
    dialFormat: () => DEFAULT_DIAL_FORMAT,
    iceServers: () => [],
    ring: () => undefined,
    ...over,
  };
}
