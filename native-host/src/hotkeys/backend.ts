import type { HotkeyBinding } from '../../../shared/protocol';
import type { HotkeyAction } from '../../../shared/settings/hotkeys';

export interface BindingRequest {
  action: HotkeyAction;
  /** Canonical combination, or null for none. */
  combination: string | null;
}

/** One way of holding system-wide keys: X11 grabs, or the uiohook helper on Windows/macOS. */
export interface HotkeyBackend {
  readonly kind: 'x11' | 'uiohook';
  /** Replaces every binding; resolves to what became of each. */
  bind(bindings: readonly BindingRequest[]): Promise<HotkeyBinding[]>;
  onPress(listener: (action: HotkeyAction) => void): void;
  /** The highlighted text (or the clipboard's when nothing is highlighted); undefined when there is none. */
  readSelection(): Promise<string | undefined>;
  /** The backend died (the X server went away, the helper crashed); it holds no keys any more. */
  onLost(listener: (message: string) => void): void;
  close(): Promise<void>;
}

export const unbound = (action: HotkeyAction): HotkeyBinding => ({ action, combination: null, state: 'unbound' });
