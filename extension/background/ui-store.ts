import type { UiAction, UiActionType, UiState } from '../lib/ui-state';

type ActionOf<T extends UiActionType> = Extract<UiAction, { type: T }>;
/** A handler may resolve with a value for the page (e.g. an export); most resolve with nothing. */
type ActionHandler<T extends UiActionType> = (action: ActionOf<T>) => Promise<unknown> | unknown;

/**
 * The background's view state and the actions pages may ask for. Capabilities update slices of
 * the state and register handlers for their actions; ui-ports.ts carries both to the pages.
 */
export class UiStore {
  private current: UiState;
  private readonly listeners = new Set<(s: UiState) => void>();
  private readonly handlers = new Map<UiActionType, ActionHandler<never>>();

  constructor(initial: UiState) {
    this.current = initial;
  }

  get state(): UiState {
    return this.current;
  }

  update(change: Partial<UiState>): void {
    this.current = { ...this.current, ...change };
    for (const l of this.listeners) l(this.current);
  }

  subscribe(listener: (s: UiState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  handle<T extends UiActionType>(type: T, handler: ActionHandler<T>): void {
    this.handlers.set(type, handler as unknown as ActionHandler<never>);
  }

  async dispatch(action: UiAction): Promise<unknown> {
    const handler = this.handlers.get(action.type) as ActionHandler<typeof action.type> | undefined;
    if (!handler) throw new Error(`unknown action ${action.type}`);
    return handler(action as never);
  }
}
