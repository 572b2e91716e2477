import { type HostInfo, type Registration } from '../../shared/protocol';
import type { BackgroundCapability } from './context';

/** Mirrors the connection, the host and the registration into the view state; account actions. */
export const hostState: BackgroundCapability = {
  name: 'host-state',
  start({ native, store }) {
    native.onState((connection) => {
      store.update(connection.status === 'connected' ? { connection } : { connection, host: undefined, registration: undefined });
    });
    native.on('registration', (registration) => store.update({ registration: registration as Registration }));
    native.on('host', (host) => store.update({ host: host as HostInfo }));
    store.handle('retry', () => native.retryNow());
    store.handle('register', async () => store.update({ registration: await native.request('account.register') }));
    store.handle('unregister', async () => store.update({ registration: await native.request('account.unregister') }));
  },
};
