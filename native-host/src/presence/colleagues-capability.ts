import { ErrorCode, ProtocolError } from '../../../shared/protocol';
import { sectionOf } from '../../../shared/settings';
import type { Preferences } from '../../../shared/settings/preferences';
import type { Broadcast, Capability } from '../capability';
import type { Logger } from '../log';
import type { SettingsService } from '../settings/settings-service';
import type { CallManager } from '../sip/call-manager';
import type { RegistrationService } from '../sip/registration';
import { domainOf } from '../sip/sip-uri';
import { replacesFor } from './colleague-lamp';
import { ColleagueWatch, type SubscribingUa } from './colleague-watch';

export interface ColleaguesDeps {
  log: Logger;
  registration: RegistrationService;
  calls: CallManager;
  settings: SettingsService;
  preferences(): Preferences;
  broadcast: Broadcast;
}

export interface Colleagues extends Capability<'colleagues.list' | 'colleagues.pickup'> {
  /** After the settings were first read: start watching the saved list. */
  applySaved(): void;
}

/** `**{ext}` → `**1002`; a code without `{ext}` (a group pick-up such as `*8`) is dialled as is. */
export function pickupNumber(code: string, ext: string): string {
  return code.includes('{ext}') ? code.replace('{ext}', ext) : code;
}

/**
 * Colleagues' lamps and pick-up (issue 17). Watches the extensions listed in the preferences
 * while registered, through JsSIP's ua.subscribe() (the same over WebSocket and direct SIP).
 */
export function startColleagues(deps: ColleaguesDeps): Colleagues {
  const { log, registration } = deps;
  const watch = new ColleagueWatch({ log, onChange: (view) => deps.broadcast('colleagues', view) });
  let registeredUa: unknown;

  const follow = () => {
    const r = registration.snapshot();
    const ua = registration.ua();
    const uri = registration.account()?.uri;
    if (r.state === 'registered' && ua && uri) {
      // Only a new registration restarts the watches; a refresh of the same one changes nothing.
      if (registeredUa === ua) return;
      registeredUa = ua;
      watch.setRegistered(ua as unknown as SubscribingUa, domainOf(uri));
    } else if (registeredUa !== undefined) {
      registeredUa = undefined;
      watch.setRegistered(undefined);
    }
  };
  const offRegistration = registration.onChange(follow);
  const offSettings = deps.settings.onChange((next, changed) => {
    if (changed === 'preferences') watch.setExtensions(sectionOf(next, 'preferences').colleagues);
  });

  return {
    events: ['colleagues'],
    handlers: {
      'colleagues.list': () => watch.view(),
      'colleagues.pickup': async ({ ext }) => {
        const code = deps.preferences().pickupCode;
        if (code) return { call: await deps.calls.place({ number: pickupNumber(code, ext), source: 'popup' }) };
        const dialog = watch.ringingDialog(ext);
        const replaces = dialog && replacesFor(dialog);
        const target = dialog?.remote.target ?? dialog?.remote.identity;
        if (!dialog || !replaces || !target) {
          throw new ProtocolError(ErrorCode.COLLEAGUE_NOT_RINGING, `nothing to pick up at ${ext}: no call is ringing there, or the PBX did not say which`);
        }
        log.info({ ext, callId: dialog.callId }, 'pick-up with Replaces');
        return { call: await deps.calls.place({ number: target, source: 'popup', extraHeaders: [replaces] }) };
      },
    },
    applySaved() {
      watch.setExtensions(deps.preferences().colleagues);
      follow();
    },
    stop() {
      offRegistration();
      offSettings();
      watch.stop();
    },
  };
}
