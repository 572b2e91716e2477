import type { BackgroundCapability } from './context';

/** Mirrors the host's voicemail-waiting state into the view (badge, popup) and calls the voicemail. */
export const voicemailSync: BackgroundCapability = {
  name: 'voicemail-sync',
  start({ native, store }) {
    native.onState((connection) => {
      if (connection.status !== 'connected') store.update({ voicemail: undefined });
      else
        void native.request('voicemail.status', {}).then(
          (voicemail) => store.update({ voicemail }),
          () => undefined,
        );
    });
    native.on('voicemail', (voicemail) => store.update({ voicemail }));
    store.handle('voicemail.call', async () => {
      await native.request('voicemail.call', {});
    });
  },
};
