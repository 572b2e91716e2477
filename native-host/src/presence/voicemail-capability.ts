import { ErrorCode, ProtocolError } from '../../../shared/protocol';
import type { Preferences } from '../../../shared/settings/preferences';
import type { Broadcast, Capability } from '../capability';
import type { Logger } from '../log';
import type { CallManager } from '../sip/call-manager';
import type { RegistrationService } from '../sip/registration';
import { voicemailNumberOf } from './message-summary';
import { VoicemailWatch, type MwiUa, type UnsolicitedNotify } from './voicemail-watch';

export interface VoicemailDeps {
  log: Logger;
  registration: RegistrationService;
  calls: CallManager;
  preferences(): Preferences;
  broadcast: Broadcast;
}

/**
 * Voicemail waiting (RFC 3842) and the one-click call to the voicemail. JsSIP's ua.subscribe()
 * and its `sipEvent` for unsolicited NOTIFYs: the same over WebSocket and direct SIP.
 */
export function startVoicemail(deps: VoicemailDeps): Capability<'voicemail.status' | 'voicemail.call'> {
  const { registration } = deps;
  const watch = new VoicemailWatch({ log: deps.log, onChange: (s) => deps.broadcast('voicemail', s) });
  registration.onUa((ua) => (ua as unknown as { on(e: 'sipEvent', l: (e: UnsolicitedNotify) => void): void }).on('sipEvent', (e) => watch.unsolicited(e)));
  let registeredUa: unknown;
  const off = registration.onChange((r) => {
    const ua = registration.ua();
    const aor = registration.account()?.uri;
    if (r.state === 'registered' && ua && aor) {
      if (registeredUa === ua) return;
      registeredUa = ua;
      watch.setRegistered(ua as unknown as MwiUa, aor);
    } else if (registeredUa !== undefined) {
      registeredUa = undefined;
      watch.setRegistered(undefined);
    }
  });
  return {
    events: ['voicemail'],
    handlers: {
      'voicemail.status': () => watch.snapshot(),
      'voicemail.call': async () => {
        const number = deps.preferences().voicemailNumber || voicemailNumberOf(watch.snapshot().account);
        if (!number) throw new ProtocolError(ErrorCode.INVALID_PARAMS, 'no voicemail number: set one in the options (the PBX named no mailbox)');
        return { call: await deps.calls.place({ number, source: 'popup' }) };
      },
    },
    stop() {
      off();
      watch.stop();
    },
  };
}
