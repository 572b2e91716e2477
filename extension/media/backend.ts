import type { PcEventData } from './snapshot';

/**
 * Where the engine runs, seen from the background: the offscreen document in Chrome (reached over
 * a runtime port), or the background page itself in Firefox (which has no offscreen API).
 */
export interface MediaBackend {
  /** Runs one engine call, starting the engine first if needed. Rejects with a ProtocolError. */
  call(method: string, params: unknown): Promise<unknown>;
  /** True while an engine exists; "close everything" must not start one just to close nothing. */
  readonly running: boolean;
}

export interface BackendHooks {
  /** A peer-connection event for the host. */
  event(data: PcEventData): void;
  /** The engine went away with everything it held (Chrome closed the offscreen document). */
  lost(reason: string): void;
  /** Calls a fresh engine gets before any other (the user's devices). */
  startCalls(): [method: string, params: unknown][];
  log(message: string, err?: unknown): void;
}
