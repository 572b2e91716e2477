import browser from 'webextension-polyfill';
import { APP_VERSION } from '../../shared/app-version';
import { hostEvents, type HostInfo, type Registration } from '../../shared/protocol';
import { detectBrowser } from '../lib/browser-kind';
import { UI_PORT_NAME, type BackgroundToUi, type UiState, type UiToBackground } from '../lib/ui-state';
import { showBadge } from './badge';
import { NativePort, type NativePortLike } from './native-port';

/**
 * The background: owner of the one native port, source of truth for every extension page.
 * Its state is disposable: the host holds whatever must survive a worker restart.
 */
const isFirefox = typeof (browser.runtime as { getBrowserInfo?: unknown }).getBrowserInfo === 'function';

const state: UiState = {
  connection: { status: 'connecting', attempt: 0 },
  host: undefined,
  registration: undefined,
  browser: detectBrowser(navigator as never, isFirefox),
};
const uiPorts = new Set<browser.Runtime.Port>();

const native = new NativePort({
  connect: (name) => browser.runtime.connectNative(name) as unknown as NativePortLike,
  lastError: () => (globalThis as { chrome?: typeof chrome }).chrome?.runtime?.lastError?.message,
  appVersion: APP_VERSION,
  browser: state.browser,
});

function publish(): void {
  const message: BackgroundToUi = { type: 'state', state };
  for (const port of uiPorts) {
    try {
      port.postMessage(message);
    } catch {
      uiPorts.delete(port);
    }
  }
  void showBadge(state).catch(() => undefined);
}

native.onState((connection) => {
  state.connection = connection;
  if (connection.status !== 'connected') {
    state.host = undefined;
    state.registration = undefined;
  }
  publish();
});

native.onEvent((event, data) => {
  if (event === 'registration') {
    const parsed = hostEvents.registration.data.safeParse(data);
    if (parsed.success) state.registration = parsed.data as Registration;
  } else if (event === 'host') {
    const parsed = hostEvents.host.data.safeParse(data);
    if (parsed.success) state.host = parsed.data as HostInfo;
  } else {
    return;
  }
  publish();
});

async function runAction(message: UiToBackground): Promise<void> {
  switch (message.action.type) {
    case 'retry':
      native.retryNow();
      return;
    case 'register':
      state.registration = await native.request('account.register');
      publish();
      return;
    case 'unregister':
      state.registration = await native.request('account.unregister');
      publish();
      return;
  }
}

browser.runtime.onConnect.addListener((port) => {
  if (port.name !== UI_PORT_NAME) return;
  // Only our own pages may drive the phone; content scripts get their own channel later.
  if (port.sender?.url && !port.sender.url.startsWith(browser.runtime.getURL(''))) {
    port.disconnect();
    return;
  }
  uiPorts.add(port);
  port.onDisconnect.addListener(() => uiPorts.delete(port));
  port.onMessage.addListener((raw) => {
    const message = raw as UiToBackground;
    if (message?.type !== 'action') return;
    runAction(message).then(
      () => port.postMessage({ type: 'action-result', ok: true } satisfies BackgroundToUi),
      (err: unknown) => port.postMessage({ type: 'action-result', ok: false, error: (err as Error).message } satisfies BackgroundToUi),
    );
  });
  port.postMessage({ type: 'state', state } satisfies BackgroundToUi);
});

// Test builds expose the state to the end-to-end harness; production builds drop this branch.
declare const __TEST_BUILD__: boolean;
if (__TEST_BUILD__) {
  (globalThis as { __voispeed?: unknown }).__voispeed = { state: () => state, native };
}

native.start();
