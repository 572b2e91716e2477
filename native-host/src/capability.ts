import type { HostEventName } from '../../shared/protocol';
import type { Handlers } from './messaging/rpc-session';
import type { EventInput } from './sessions/session-hub';

/**
 * One capability of the host (sip, account, history, integra, hotkeys, settings, …): the protocol
 * methods it serves, the pushes it sends, and how it stops. `host.ts` only starts capabilities
 * and joins their handler tables; to add one, see "How to add a capability" in README.md.
 */
export interface Capability<M extends keyof Handlers = keyof Handlers> {
  readonly handlers: Pick<Handlers, M>;
  /** The pushes it sends (each declared in shared/protocol with its schema). */
  readonly events: readonly HostEventName[];
  stop(): void | Promise<void>;
}

/** Sends a push to every connected client. */
export type Broadcast = <K extends HostEventName>(event: K, data: EventInput<K>) => void;
