import { type HistoryRecord } from '../../shared/protocol';
import type { BackgroundCapability } from './context';

/** How many recent calls the popup gets; the CSV export has them all. */
export const RECENT_IN_VIEW = 200;

/**
 * Mirrors the host's call history into the view state (the Recent tab and the badge's missed
 * count) and turns the Recent tab's actions into host requests.
 */
export const historySync: BackgroundCapability = {
  name: 'history-sync',
  start({ native, store }) {
    const refresh = () =>
      native.request('history.list', { limit: RECENT_IN_VIEW }).then(
        ({ records, unseenMissed }) => store.update({ history: records, unseenMissed }),
        () => undefined,
      );
    native.onState((connection) => {
      if (connection.status !== 'connected') store.update({ history: undefined, unseenMissed: undefined });
      else void refresh();
    });
    // A secondary browser that became primary (the first one left) can read the journal now.
    native.on('host', () => void refresh());
    native.on('history', ({ added, unseenMissed }) => {
      const list: HistoryRecord[] = store.state.history ?? [];
      const history = added && !list.some((r) => r.seq === added.seq) ? [added, ...list].slice(0, RECENT_IN_VIEW) : list;
      store.update({ history, unseenMissed });
    });
    store.handle('history.call', async (a) => {
      await native.request('call.dial', { number: a.number, source: 'history', ...(a.extId ? { extId: a.extId } : {}) });
    });
    store.handle('history.markSeen', async () => {
      const { unseenMissed } = await native.request('history.markSeen', {});
      store.update({ unseenMissed });
    });
    store.handle('history.export', async () => {
      let csv = '';
      let after: number | undefined;
      // Parts keep each reply under the 1 MB native-messaging limit.
      for (let part = 0; part < 1000; part++) {
        const reply = await native.request('history.export', after === undefined ? {} : { after });
        csv += reply.csv;
        if (reply.next === undefined) break;
        after = reply.next;
      }
      return csv;
    });
  },
};
