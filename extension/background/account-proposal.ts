import browser from 'webextension-polyfill';
import { type AccountProposal } from '../../shared/protocol';
import type { BackgroundCapability } from './context';

export const CONFIRM_PATH = 'extension/confirm/index.html';

/** Apply waits for the new account to register (the host gives up after ~10 s). */
const APPLY_TIMEOUT_MS = 20_000;
const KEEP = 10;

/** Newest last; a proposal replaces its older copy. */
export function upsertProposal(list: readonly AccountProposal[] | undefined, p: AccountProposal): AccountProposal[] {
  const rest = (list ?? []).filter((x) => x.id !== p.id);
  return [...rest, p].slice(-KEEP);
}

export function confirmPageUrl(base: string, id: string): string {
  return `${base}${CONFIRM_PATH}?id=${encodeURIComponent(id)}`;
}

/**
 * voispeed:U (DESIGN sections 6 and 8): the host pushes every account change a script, the OS URL
 * handler or a page link proposed; a new pending one opens the confirmation page, which shows the
 * current and the new account. Only its Apply and Cancel buttons reach `account.apply` / `cancel`,
 * through the `ui` port that only the extension's own pages can open.
 */
export const accountProposal: BackgroundCapability = {
  name: 'account-proposal',
  start({ native, store }) {
    const opened = new Set<string>();
    const open = (p: AccountProposal) => {
      if (p.state !== 'pending' || opened.has(p.id)) return;
      opened.add(p.id);
      void browser.tabs.create({ url: confirmPageUrl(browser.runtime.getURL(''), p.id), active: true }).then(
        (tab) => (tab.windowId !== undefined ? browser.windows?.update(tab.windowId, { focused: true }) : undefined),
        () => opened.delete(p.id),
      ).catch(() => undefined);
    };
    native.onState((connection) => {
      if (connection.status !== 'connected') return;
      // A restarted worker learns what the host still holds; pages already open find theirs again.
      native.request('account.proposals').then(
        ({ proposals }) => {
          for (const p of proposals) opened.add(p.id);
          store.update({ proposals: proposals.slice(-KEEP) });
        },
        () => undefined,
      );
    });
    native.on('account.proposal', (proposal) => {
      store.update({ proposals: upsertProposal(store.state.proposals, proposal) });
      open(proposal);
    });
    store.handle('proposal.apply', async (a) => {
      const { proposal } = await native.request('account.apply', { id: a.id }, APPLY_TIMEOUT_MS);
      store.update({ proposals: upsertProposal(store.state.proposals, proposal) });
    });
    store.handle('proposal.cancel', async (a) => {
      const { proposal } = await native.request('account.cancel', { id: a.id });
      store.update({ proposals: upsertProposal(store.state.proposals, proposal) });
    });
  },
};
