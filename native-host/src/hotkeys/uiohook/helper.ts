import type { HotkeyAction } from '../../../../shared/settings/hotkeys';
import { KEY_C, MODIFIER_KEYCODES, ModifierTracker, matchKeydown, toUiohookBinding, type KeyEvent, type UiohookBinding } from './keys';
import type { FromHelper, ToHelper } from './messages';

/** The slice of uiohook-napi's `uIOhook` the helper uses; a fake stands in for it in tests. */
export interface HookLike {
  on(event: 'keydown' | 'keyup', listener: (e: KeyEvent) => void): unknown;
  start(): void;
  stop(): void;
  keyTap(key: number, modifiers?: number[]): void;
}

export interface ParentChannel {
  send(message: FromHelper): void;
  onMessage(listener: (message: ToHelper) => void): void;
}

/** How long the hotkey's modifiers may stay down before the copy is sent anyway. */
const RELEASE_TIMEOUT_MS = 1500;

/**
 * The child process that holds uiohook-napi (Windows, macOS). uiohook aborts its whole process
 * when it cannot start, and sees keys passively: so it lives here, reports presses of the bound
 * combinations and, when asked, sends Ctrl+C (Cmd+C on a Mac) once the user let go of the
 * hotkey's modifiers. It never reads or writes the clipboard itself.
 */
export function runHelper(hook: HookLike, parent: ParentChannel): void {
  let bindings: UiohookBinding[] = [];
  const modifiers = new ModifierTracker();
  const pressed = new Set<HotkeyAction>();

  hook.on('keydown', (e) => {
    modifiers.keydown(e.keycode);
    const action = matchKeydown(e, bindings);
    // Key repeat sends keydown after keydown; one press is reported once, until the key goes up.
    if (action && !pressed.has(action)) {
      pressed.add(action);
      parent.send({ type: 'press', action });
    }
  });
  hook.on('keyup', (e) => {
    modifiers.keyup(e.keycode);
    for (const b of bindings) if (b.keycode === e.keycode) pressed.delete(b.action);
  });

  parent.onMessage((m) => {
    if (m.type === 'bind') {
      const errors: { action: HotkeyAction; message: string }[] = [];
      bindings = [];
      for (const b of m.bindings) {
        const r = toUiohookBinding(b.action, b.combination);
        if ('error' in r) errors.push({ action: b.action, message: r.error });
        else bindings.push(r);
      }
      parent.send({ type: 'done', seq: m.seq, ...(errors.length ? { errors } : {}) });
    } else if (m.type === 'copy') {
      void modifiers.released(RELEASE_TIMEOUT_MS).then(() => {
        const mod = m.platform === 'darwin' ? MODIFIER_KEYCODES.Meta[0] : MODIFIER_KEYCODES.Ctrl[0];
        hook.keyTap(KEY_C, [mod]);
        parent.send({ type: 'done', seq: m.seq });
      });
    }
  });

  try {
    hook.start();
  } catch (err) {
    parent.send({ type: 'fatal', message: `the keyboard hook did not start: ${(err as Error).message}` });
    return;
  }
  parent.send({ type: 'ready' });
}
