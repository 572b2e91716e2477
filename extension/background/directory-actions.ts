import type { BackgroundCapability } from './context';

/**
 * Caller names and dial by name (issue 18): the popup's search as you type, the options' Test
 * panel and contact import, each passed to the host (which keeps the contacts and the secrets).
 */
export const directoryActions: BackgroundCapability = {
  name: 'directory-actions',
  start({ store, native }) {
    store.handle('directory.search', (a) => native.request('directory.search', { query: a.query.slice(0, 128), limit: 10 }));
    store.handle('directory.test', (a) => native.request('directory.test', { number: a.number }));
    store.handle('contacts.add', (a) => native.request('contacts.add', { name: a.name, ...(a.company ? { company: a.company } : {}), number: a.number }));
    store.handle('contacts.import', (a) => native.request('contacts.import', { format: a.format, text: a.text }, 60_000));
  },
};
