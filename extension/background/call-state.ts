import { type CallInfo } from '../../shared/protocol';
import type { BackgroundCapability } from './context';

/** How long an ended call stays in the view, so the user sees how it ended. */
const ENDED_LINGER_MS = 4000;

/** Mirrors the host's calls into the view state and turns call actions into host requests. */
export const callState: BackgroundCapability = {
  name: 'call-state',
  start({ native, store }) {
    const upsert = (call: CallInfo) => {
      const others = store.state.calls.filter((c) => c.id !== call.id);
      store.update({ calls: [...others, call].sort((a, b) => a.startedAt - b.startedAt) });
      if (call.state === 'ended') {
        setTimeout(() => store.update({ calls: store.state.calls.filter((c) => c.id !== call.id || c.state !== 'ended') }), ENDED_LINGER_MS);
      }
    };
    native.on('call', upsert);
    // The host owns call state: after any (re)connect, its list is the truth.
    native.onState((connection) => {
      if (connection.status !== 'connected') {
        store.update({ calls: [] });
        return;
      }
      native.request('call.list').then(
        ({ calls }) => store.update({ calls }),
        () => undefined,
      );
    });
    store.handle('dial', async (a) => {
      await native.request('call.dial', { number: a.number, source: 'popup', ...(a.extId ? { extId: a.extId } : {}) });
    });
    store.handle('answer', async (a) => void (await native.request('call.answer', { id: a.id })));
    store.handle('decline', async (a) => void (await native.request('call.decline', { id: a.id })));
    store.handle('hangup', async (a) => void (await native.request('call.hangup', { id: a.id })));
    store.handle('hold', async (a) => void (await native.request('call.hold', { id: a.id, hold: a.hold })));
    store.handle('mute', async (a) => void (await native.request('call.mute', { id: a.id, mute: a.mute })));
    store.handle('dtmf', async (a) => void (await native.request('call.dtmf', { id: a.id, tones: a.tones })));
    store.handle('transfer', async (a) => void (await native.request('call.transfer', { id: a.id, target: a.target })));
    store.handle('consult', async (a) => void (await native.request('call.consult', { id: a.id, target: a.target, source: 'popup' })));
    store.handle('transfer.complete', async (a) => void (await native.request('call.transferComplete', { id: a.id })));
    store.handle('merge', async () => void (await native.request('call.merge', {})));
    store.handle('split', async (a) => void (await native.request('call.split', { id: a.id })));
    store.handle('transfer.cancel', async (a) => void (await native.request('call.transferCancel', { id: a.id })));
  },
};
