import type { HotkeyStatus } from '../../../shared/protocol';
import { defaultSettings, sectionOf } from '../../../shared/settings';
import type { Preferences } from '../../../shared/settings/preferences';
import type { Broadcast, Capability } from '../capability';
import type { Logger } from '../log';
import type { RpcSession } from '../messaging/rpc-session';
import { dialFormatOf } from '../settings/dial-format';
import type { SettingsService } from '../settings/settings-service';
import type { CallManager } from '../sip/call-manager';
import { createHotkeys } from './index';

export interface HotkeysCapability extends Capability<'hotkeys.status' | 'hotkeys.trigger'> {
  readonly status: HotkeyStatus;
  /** Grabs the saved combinations (once the settings are loaded). */
  applySaved(): void;
}

/** System-wide hotkeys (hotkeys/): without an X server or the helper the host runs on without them. */
export function startHotkeys(deps: {
  log: Logger;
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  settings: SettingsService;
  preferences(): Preferences;
  calls: CallManager;
  browser(): RpcSession | undefined;
  broadcast: Broadcast;
}): HotkeysCapability {
  const hotkeys = createHotkeys({
    log: deps.log,
    platform: deps.platform,
    env: deps.env,
    defaultCountry: () => dialFormatOf(deps.preferences()).defaultCountry,
    dial: (number) => deps.calls.place({ number, source: 'hotkey' }),
    onStatus: (status) => deps.broadcast('hotkeys', status),
    showPhone: (reason, callId) => deps.browser()?.push('phone.show', { reason, ...(callId ? { callId } : {}) }),
    notDialable: (data) => deps.browser()?.push('hotkeys.not-dialable', data),
  });
  const off = deps.settings.onChange((next, changed) => {
    if (changed === 'hotkeys') void hotkeys.apply(sectionOf(next, 'hotkeys'));
  });
  return {
    get status() {
      return hotkeys.status;
    },
    events: ['hotkeys', 'phone.show', 'hotkeys.not-dialable'],
    handlers: {
      'hotkeys.status': () => hotkeys.status,
      'hotkeys.trigger': (p) => hotkeys.trigger(p.action, 'cli'),
    },
    applySaved: () => void hotkeys.apply(sectionOf(deps.settings.peek() ?? defaultSettings(), 'hotkeys')),
    async stop() {
      off();
      await hotkeys.stop();
    },
  };
}
