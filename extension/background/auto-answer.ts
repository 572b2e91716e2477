import type { BackgroundCapability } from './context';
import { microphonePermission } from './onboarding';

/** The first burst of the ringtone (ringtone.ts: 0.4 s): the short tone an intercom call gets before it opens. */
export const INTERCOM_TONE_MS = 400;

/**
 * Intercom / auto-answer (issue 17): the host marks an incoming call `autoAnswerAfterMs` when the
 * INVITE asks for it, the option is on and no other call is up. It is answered here — after the
 * delay, never sooner than one ringtone burst — only when the microphone permission is already
 * granted (an intercom must never raise a prompt) and still only if no other call came up
 * meanwhile. Otherwise it simply rings. The answer is a normal call.answer: Integra's CALL_ACCEPT
 * and the history see an ordinary answered call.
 */
export const autoAnswer: BackgroundCapability = {
  name: 'auto-answer',
  start({ native, store }) {
    const seen = new Set<string>();
    const answerLater = async (id: string, afterMs: number) => {
      if ((await microphonePermission()) !== 'granted') return;
      await new Promise((r) => setTimeout(r, Math.max(afterMs, INTERCOM_TONE_MS)));
      const calls = store.state.calls;
      if (calls.find((c) => c.id === id)?.state !== 'ringing-in') return;
      if (calls.some((c) => c.id !== id && c.state !== 'ended')) return;
      await native.request('call.answer', { id }).catch((err: unknown) => console.warn('[voispeed] auto-answer failed', err));
    };
    store.subscribe((state) => {
      for (const call of state.calls) {
        if (call.state !== 'ringing-in' || call.autoAnswerAfterMs === undefined || seen.has(call.id)) continue;
        seen.add(call.id);
        void answerLater(call.id, call.autoAnswerAfterMs);
      }
      // Forget calls that are gone, so the set does not grow for ever.
      for (const id of seen) if (!state.calls.some((c) => c.id === id)) seen.delete(id);
    });
  },
};
