import type { BackgroundCapability } from './context';

/**
 * Mirrors the host's colleagues' lamps into the view state, live (the `colleagues` push), and
 * turns the popup's Pick up into a host request. Call and Transfer use the existing actions.
 */
export const colleaguesSync: BackgroundCapability = {
  name: 'colleagues-sync',
  start({ native, store }) {
    const refresh = () =>
      native.request('colleagues.list', {}).then(
        (view) => store.update({ colleagues: view }),
        () => undefined,
      );
    native.onState((connection) => {
      if (connection.status !== 'connected') store.update({ colleagues: undefined });
      else void refresh();
    });
    native.on('colleagues', (view) => store.update({ colleagues: view }));
    store.handle('colleague.pickup', async (a) => {
      await native.request('colleagues.pickup', { ext: a.ext });
    });
  },
};
