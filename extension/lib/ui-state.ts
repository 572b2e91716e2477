import type { HostInfo, Registration } from '../../shared/protocol';
import type { ConnectionState } from '../background/native-port';

/** Everything the popup and options pages render; owned by the background, pushed on change. */
export interface UiState {
  connection: ConnectionState;
  host: HostInfo | undefined;
  registration: Registration | undefined;
  browser: BrowserKind;
}

export type BrowserKind = 'chrome' | 'chromium' | 'edge' | 'brave' | 'firefox';

export type UiAction = { type: 'retry' } | { type: 'register' } | { type: 'unregister' };

/** Messages on the `ui` runtime port between a page and the background. */
export type BackgroundToUi = { type: 'state'; state: UiState } | { type: 'action-result'; ok: boolean; error?: string };
export type UiToBackground = { type: 'action'; action: UiAction };

export const UI_PORT_NAME = 'ui';

/** The command a user types to install the host for this browser. */
export function installCommand(browser: BrowserKind): string {
  return `voispeed install --browser ${browser}`;
}
