import type { BackendHooks, MediaBackend } from './backend';
import type { MediaEngine } from './engine';
import { dispatchToEngine, type ExtraCalls } from './engine-dispatch';
import type { PcEventData } from './snapshot';

/** Firefox: the background page has a DOM, so the engine simply lives there. */
export class LocalBackend implements MediaBackend {
  private engine: MediaEngine | undefined;
  private extra: ExtraCalls = {};

  constructor(
    private readonly makeEngine: (onEvent: (data: PcEventData) => void) => { engine: MediaEngine; extra: ExtraCalls },
    private readonly hooks: BackendHooks,
  ) {}

  get running(): boolean {
    return this.engine !== undefined;
  }

  call(method: string, params: unknown): Promise<unknown> {
    if (!this.engine) {
      const made = this.makeEngine((data) => this.hooks.event(data));
      this.engine = made.engine;
      this.extra = made.extra;
      for (const [m, p] of this.hooks.startCalls()) dispatchToEngine(made.engine, m, p).catch((err: unknown) => this.hooks.log(`${m} failed`, err));
    }
    return dispatchToEngine(this.engine, method, params, this.extra);
  }
}
