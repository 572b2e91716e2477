import type { HotkeyAction } from '../../../../shared/settings/hotkeys';

/** Parent (host) → helper, over the child-process IPC channel. */
export type ToHelper =
  | { type: 'bind'; seq: number; bindings: { action: HotkeyAction; combination: string }[] }
  | { type: 'copy'; seq: number; platform: NodeJS.Platform };

/** Helper → parent. */
export type FromHelper =
  | { type: 'ready' }
  | { type: 'press'; action: HotkeyAction }
  | { type: 'done'; seq: number; errors?: { action: HotkeyAction; message: string }[] }
  | { type: 'fatal'; message: string };
