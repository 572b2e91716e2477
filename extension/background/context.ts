import type { NativePort } from './native-port';
import type { UiStore } from './ui-store';

/** What every background capability gets; each exports `start(ctx)` and is listed in index.ts. */
export interface BackgroundContext {
  native: NativePort;
  store: UiStore;
}

export interface BackgroundCapability {
  name: string;
  start(ctx: BackgroundContext): void;
}
