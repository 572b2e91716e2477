import type { BackgroundCapability } from './context';

/** Mirrors the host's settings into the view state; the options page saves a section at a time. */
export const settingsSync: BackgroundCapability = {
  name: 'settings-sync',
  start({ native, store }) {
    native.onState((connection) => {
      if (connection.status !== 'connected') {
        store.update({ settings: undefined });
        return;
      }
      native.request('settings.get').then(
        ({ settings }) => store.update({ settings }),
        () => undefined,
      );
    });
    native.on('settings', (settings) => store.update({ settings }));
    store.handle('settings.set', async (a) => {
      const { settings } = await native.request('settings.set', { section: a.section, value: a.value });
      store.update({ settings });
    });
  },
};
