import type { HotkeyUnavailable } from '../../../shared/protocol';

export type HotkeyEnvironment =
  | { kind: 'x11'; display: string }
  | { kind: 'uiohook' }
  | { kind: 'unavailable'; reason: HotkeyUnavailable; message: string };

export const WAYLAND_MESSAGE =
  'Wayland lets no program take system-wide keys: bind a desktop shortcut to "voispeed dial-selection" and "voispeed show"';

/**
 * Which way the keys can be held here. Wayland first: with XWayland, DISPLAY is set too, but an
 * X grab there only sees keys while an X window has the focus, which would look like a working
 * hotkey that fails most of the time.
 */
export function detectEnvironment(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): HotkeyEnvironment {
  if (platform === 'win32' || platform === 'darwin') return { kind: 'uiohook' };
  if (platform !== 'linux' && platform !== 'freebsd' && platform !== 'openbsd') {
    return { kind: 'unavailable', reason: 'unsupported-platform', message: `no system-wide hotkeys on ${platform}` };
  }
  if (env.WAYLAND_DISPLAY || env.XDG_SESSION_TYPE === 'wayland') return { kind: 'unavailable', reason: 'wayland', message: WAYLAND_MESSAGE };
  if (!env.DISPLAY) return { kind: 'unavailable', reason: 'no-display', message: 'no X display (DISPLAY is not set)' };
  return { kind: 'x11', display: env.DISPLAY };
}
