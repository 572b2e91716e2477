import browser from 'webextension-polyfill';
import { APP_VERSION } from '../../shared/app-version';
import { detectBrowser } from '../lib/browser-kind';
import { accountProposal } from './account-proposal';
import { badge } from './badge';
import { callNotifications } from './call-notifications';
import { callState } from './call-state';
import { colleaguesSync } from './colleagues-sync';
import { voicemailSync } from './voicemail-sync';
import { autoAnswer } from './auto-answer';
import { contextMenu } from './context-menu';
import type { BackgroundCapability, BackgroundContext } from './context';
import { historySync } from './history-sync';
import { hostState } from './host-state';
import { hotkeyStatus } from './hotkey-status';
import { integraTabs } from './integra-tabs';
import { directoryActions } from './directory-actions';
import { language } from './language';
import { managedPolicy } from './managed-policy';
import { mediaRelay } from './media-relay';
import { NativePort, type NativePortLike } from './native-port';
import { pageCalls } from './page-calls';
import { pageMetadata } from './page-metadata';
import { phoneWindow } from './phone-window';
import { settingsSync } from './settings-sync';
import { onboarding } from './onboarding';
import { uiPorts } from './ui-ports';
import { UiStore } from './ui-store';

/**
 * The background: owner of the one native port and source of truth for every extension page.
 * Its state is disposable: the host holds whatever must survive a worker restart.
 * Each capability is one file; this list is the only wiring.
 */
// language before badge and notifications: a settings change is applied before they render with it.
const capabilities: BackgroundCapability[] = [uiPorts, language, hostState, callState, callNotifications, badge, mediaRelay, onboarding, pageCalls, pageMetadata, contextMenu, managedPolicy, settingsSync, accountProposal, historySync, hotkeyStatus, phoneWindow, integraTabs, colleaguesSync, voicemailSync, autoAnswer, directoryActions];

const isFirefox = typeof (browser.runtime as { getBrowserInfo?: unknown }).getBrowserInfo === 'function';
const kind = detectBrowser(navigator as never, isFirefox);

const store = new UiStore({
  connection: { status: 'connecting', attempt: 0 },
  host: undefined,
  registration: undefined,
  calls: [],
  browser: kind,
});

const native = new NativePort({
  connect: (name) => browser.runtime.connectNative(name) as unknown as NativePortLike,
  lastError: () => (globalThis as { chrome?: typeof chrome }).chrome?.runtime?.lastError?.message,
  appVersion: APP_VERSION,
  browser: kind,
});

const ctx: BackgroundContext = { native, store };
// Listeners must be registered in the worker's first turn, before anything is awaited.
for (const capability of capabilities) capability.start(ctx);

// Test builds expose the state to the end-to-end harness; production builds drop this branch.
declare const __TEST_BUILD__: boolean;
if (__TEST_BUILD__) {
  (globalThis as { __voispeed?: unknown }).__voispeed = { state: () => store.state, native };
}

native.start();
