import * as account from './account';
import * as session from './session';
import type { EventSpec, MethodSpec } from './define';

export * from './version';
export * from './errors';
export * from './envelope';
export * from './define';
export type { Registration, RegistrationState, HostInfo, StatusResult } from './session';
export type { Account } from './account';
export { account, session };

function table<T extends readonly { method: string }[]>(specs: T): { [S in T[number] as S['method']]: S } {
  return Object.fromEntries(specs.map((s) => [s.method, s])) as never;
}
function events<T extends readonly { event: string }[]>(specs: T): { [S in T[number] as S['event']]: S } {
  return Object.fromEntries(specs.map((s) => [s.event, s])) as never;
}

/** Every request the host answers, keyed by method name. */
export const hostMethods = table([
  session.hello,
  session.status,
  session.ping,
  account.register,
  account.unregister,
] as const) satisfies Record<string, MethodSpec>;

export type HostMethodName = keyof typeof hostMethods;

/** Every push the host sends, keyed by event name. */
export const hostEvents = events([session.registrationChanged, session.hostChanged] as const) satisfies Record<
  string,
  EventSpec
>;

export type HostEventName = keyof typeof hostEvents;
export type HostEventData<K extends HostEventName> = import('zod').output<(typeof hostEvents)[K]['data']>;
