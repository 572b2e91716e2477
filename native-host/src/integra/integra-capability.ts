import { ErrorCode, ProtocolError } from '../../../shared/protocol';
import { defaultSettings, sectionOf } from '../../../shared/settings';
import type { Broadcast, Capability } from '../capability';
import type { Logger } from '../log';
import type { RpcSession } from '../messaging/rpc-session';
import type { SettingsService } from '../settings/settings-service';
import type { CallManager } from '../sip/call-manager';
import type { RegistrationService } from '../sip/registration';
import { startIntegra } from './integra';

export interface IntegraCapabilityDeps {
  log: Logger;
  platform: NodeJS.Platform;
  settings: SettingsService;
  registration: RegistrationService;
  calls: CallManager;
  /** The browser session that owns the UI: it opens the CRM pages. */
  browser(): RpcSession | undefined;
  broadcast: Broadcast;
}

/** Integra (integra/): commands and CRM tabs on call events, and its execution log. */
export function startIntegraCapability(deps: IntegraCapabilityDeps): Capability<'integra.test' | 'integra.log'> {
  const integra = startIntegra({
    log: deps.log,
    platform: deps.platform,
    settings: () => sectionOf(deps.settings.peek() ?? defaultSettings(), 'integra'),
    aor: () => deps.registration.account()?.uri,
    openInBrowser: (params, timeoutMs) => {
      const browser = deps.browser();
      return browser ? browser.request('integra.open', params, timeoutMs) : Promise.reject(new ProtocolError(ErrorCode.DISCONNECTED, 'no browser is connected'));
    },
    announce: (entry) => deps.broadcast('integra.executed', entry),
  });
  deps.calls.onSipFacts((facts) => integra.onSipFacts(facts));
  // Before the ringtone and the call push: a CRM tab is the slowest thing the browser is asked
  // for at a call's start, and the browser works through what it is asked in order (issue 19).
  deps.calls.onChangeFirst((call) => integra.onCall(call));
  return {
    events: ['integra.executed'],
    handlers: {
      'integra.test': (p) => integra.test(p),
      'integra.log': () => integra.log(),
    },
    stop: () => integra.stop(),
  };
}
