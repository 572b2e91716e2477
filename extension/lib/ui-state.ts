import type { AccountProposal, CallInfo, ColleaguesView, VoicemailState, HistoryRecord, HostInfo, HotkeyStatus, Registration } from '../../shared/protocol';
import type { ConnectionState } from '../background/native-port';
import type { PublicSettings, SectionName } from '../../shared/settings';
import type { Execution } from '../../shared/protocol';
import type { IntegraEventName } from '../../shared/integra';
import type { IntegraRule } from '../../shared/settings/integra';
import type { PageNumbersState } from './page-messages';

/** Everything the popup and options pages render; owned by the background, pushed on change. */
export interface UiState {
  connection: ConnectionState;
  host: HostInfo | undefined;
  registration: Registration | undefined;
  /** Live calls, oldest first; an ended call stays briefly so the view can show how it ended. */
  calls: CallInfo[];
  browser: BrowserKind;
  /** The host's settings (never the password); undefined until the host answered. */
  settings?: PublicSettings | undefined;
  /** voispeed:U account changes the host holds (pending and recently finished), for the confirmation page. */
  proposals?: AccountProposal[] | undefined;
  /** Finished calls, newest first (the most recent few hundred); undefined until the host answered. */
  history?: HistoryRecord[] | undefined;
  /** Missed incoming calls the user has not looked at yet (the toolbar badge counts them). */
  unseenMissed?: number | undefined;
  /** The system-wide hotkeys: held, in use, or unavailable and why; undefined until the host answered. */
  hotkeys?: HotkeyStatus | undefined;
  /** Popup only: the numbers detected on the page it was opened over (its connector fills this, not the background). */
  page?: PageNumbersState | undefined;
  /** Integra's last executions, newest first; undefined until the host answered. */
  integraLog?: Execution[] | undefined;
  /** Colleagues' lamps (issue 17); undefined until the host answered. */
  colleagues?: ColleaguesView | undefined;
  /** Voicemail waiting (RFC 3842); undefined until the host answered. */
  voicemail?: VoicemailState | undefined;
}

export type BrowserKind = 'chrome' | 'chromium' | 'edge' | 'brave' | 'firefox';

export type UiAction =
  | { type: 'retry' }
  | { type: 'register' }
  | { type: 'unregister' }
  | { type: 'dial'; number: string; extId?: string }
  | { type: 'answer'; id: string }
  | { type: 'decline'; id: string }
  | { type: 'hangup'; id: string }
  | { type: 'hold'; id: string; hold: boolean }
  | { type: 'mute'; id: string; mute: boolean }
  | { type: 'dtmf'; id: string; tones: string }
  | { type: 'transfer'; id: string; target: string }
  /** Attended transfer: hold the caller and call the target; then complete or cancel (id: either call). */
  | { type: 'consult'; id: string; target: string }
  | { type: 'transfer.complete'; id: string }
  | { type: 'transfer.cancel'; id: string }
  /** 3-way conference: merge the two answered calls; split them again. */
  | { type: 'merge' }
  | { type: 'split'; id: string }
  | { type: 'settings.set'; section: SectionName; value: unknown }
  /** The confirmation page's buttons for a voispeed:U account change. */
  | { type: 'proposal.apply'; id: string }
  | { type: 'proposal.cancel'; id: string }
  /** Call a number back from the Recent list (dial source 'history'). */
  | { type: 'history.call'; number: string; extId?: string }
  | { type: 'history.markSeen' }
  /** Call is being pressed: the microphone opens ahead of the click (issue 19). */
  | { type: 'media.prepare' }
  /** The popup is open and registered: the engine prepares the next call's offer, never the microphone (issue 19). */
  | { type: 'media.warm' }
  /** Resolves with the whole history as CSV text. */
  | { type: 'history.export' }
  /** Call a number listed from the page (dial source 'page'), after a click in the popup. */
  | { type: 'page.dial'; tabId: number; number: string }
  /** Integra's Test button: resolves with what the rule(s) would run or open (integra.test). */
  | { type: 'integra.test'; event: IntegraEventName; rule?: IntegraRule }
  /** Take the call ringing at a colleague (colleagues.pickup). */
  | { type: 'colleague.pickup'; ext: string }
  /** Call the voicemail (voicemail.call). */
  | { type: 'voicemail.call' }
  /** Dial by name (issue 18): resolves with `directory.search`'s result. */
  | { type: 'directory.search'; query: string }
  /** The options' Test panel: resolves with `directory.test`'s steps. */
  | { type: 'directory.test'; number: string }
  | { type: 'contacts.import'; format: 'csv' | 'vcard'; text: string }
  | { type: 'contacts.add'; name: string; company?: string; number: string };

export type UiActionType = UiAction['type'];

/** Messages on the `ui` runtime port between a page and the background. */
export type BackgroundToUi =
  | { type: 'state'; state: UiState }
  | { type: 'action-result'; seq: number; ok: boolean; error?: string; code?: number; data?: unknown; value?: unknown };
export type UiToBackground = { type: 'action'; seq: number; action: UiAction };

export const UI_PORT_NAME = 'ui';

/** The command a user types to install the host for this browser. */
export function installCommand(browser: BrowserKind): string {
  return `voispeed install --browser ${browser}`;
}
