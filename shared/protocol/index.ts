import * as account from './account';
import * as session from './session';
import type { EventSpec, MethodSpec } from './define';

export * from './version';
export * from './errors';
export * from './envelope';
export * from './define';
export { account, session };

/** Every request the host answers, keyed by method name. */
export const hostMethods = {
  [session.hello.method]: session.hello,
  [session.status.method]: session.status,
  [session.ping.method]: session.ping,
  [account.register.method]: account.register,
  [account.unregister.method]: account.unregister,
} as const satisfies Record<string, MethodSpec>;

export type HostMethodName = keyof typeof hostMethods;

/** Every push the host sends, keyed by event name. */
export const hostEvents = {
  [session.registrationChanged.event]: session.registrationChanged,
  [session.hostChanged.event]: session.hostChanged,
} as const satisfies Record<string, EventSpec>;

export type HostEventName = keyof typeof hostEvents;
