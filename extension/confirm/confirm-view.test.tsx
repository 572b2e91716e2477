// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it, vi } from 'vitest';
import type { AccountProposal } from '../../shared/protocol';
import { confirmPageUrl, upsertProposal } from '../background/account-proposal';
import { ConfirmView } from './confirm-view';
import { domContainer } from '../lib/testing/dom-container';

vi.mock('webextension-polyfill', async () => (await import('../lib/english-catalogue')).fakeI18nBrowser);

const HA1 = '5f4dcc3b5aa765d61d8327deb882cf99';
const proposal = (over: Partial<AccountProposal> = {}): AccountProposal => ({
  id: 'a'.repeat(32),
  source: 'page',
  createdAt: 0,
  expiresAt: 300_000,
  current: { user: '1001', domain: 'old.example', extension: '1001', servers: ['wss://old.example/ws'], credential: 'password' },
  next: { user: 'alice', domain: 'pbx.example', extension: '201', servers: ['wss://pbx.example/ws', 'wss://b.example/ws'], credential: 'ha1', ha1Hint: `${HA1.slice(0, 4)}…` },
  state: 'pending',
  ...over,
});

const dom = domContainer();

const q = (sel: string) => dom.element.querySelector(sel);

describe('the voispeed:U confirmation page', () => {
  it('shows the current and the new account side by side, the hash only as its first digits', () => {
    const onApply = vi.fn();
    const onCancel = vi.fn();
    act(() => render(<ConfirmView proposal={proposal()} busy={false} error={undefined} onApply={onApply} onCancel={onCancel} />, dom.element));
    const text = q('[data-testid=confirm-table]')!.textContent!;
    for (const part of ['1001', 'old.example', 'wss://old.example/ws', 'alice', 'pbx.example', '201', 'wss://b.example/ws', 'password hash 5f4d…']) expect(text).toContain(part);
    expect(dom.element.innerHTML).not.toContain(HA1);
    expect(q('[data-testid=confirm-status]')!.getAttribute('data-state')).toBe('pending');
    act(() => (q('[data-testid=confirm-apply]') as HTMLButtonElement).click());
    act(() => (q('[data-testid=confirm-cancel]') as HTMLButtonElement).click());
    expect(onApply).toHaveBeenCalledOnce();
    expect(onCancel).toHaveBeenCalledOnce();
  });

  it('a finished proposal has no buttons and says how it ended', () => {
    act(() => render(<ConfirmView proposal={proposal({ state: 'failed', message: 'Authentication Error' })} busy={false} error="ignored" onApply={vi.fn()} onCancel={vi.fn()} />, dom.element));
    expect(q('[data-testid=confirm-apply]')).toBeNull();
    expect(q('[data-testid=confirm-status]')!.textContent).toBe('The new account did not register: Authentication Error. The previous account is kept.');
    expect(q('[data-testid=confirm-error]')).toBeNull();
  });

  it('an unknown id and a first set-up (no current account) are told plainly', () => {
    act(() => render(<ConfirmView proposal={null} busy={false} error={undefined} onApply={vi.fn()} onCancel={vi.fn()} />, dom.element));
    expect(q('[data-testid=confirm-status]')!.getAttribute('data-state')).toBe('unknown');
    const { current: _none, ...first } = proposal();
    act(() => render(<ConfirmView proposal={first} busy={true} error="a call is in progress" onApply={vi.fn()} onCancel={vi.fn()} />, dom.element));
    expect(q('[data-testid=confirm-table]')!.textContent).toContain('none');
    expect((q('[data-testid=confirm-apply]') as HTMLButtonElement).disabled).toBe(true);
    expect(q('[data-testid=confirm-error]')!.textContent).toBe('a call is in progress');
  });

  it('the background keeps one copy per proposal and opens the page by id', () => {
    const a = proposal();
    const list = upsertProposal(upsertProposal(undefined, a), { ...a, state: 'applied' });
    expect(list).toEqual([{ ...a, state: 'applied' }]);
    expect(confirmPageUrl('chrome-extension://x/', a.id)).toBe(`chrome-extension://x/extension/confirm/index.html?id=${a.id}`);
  });
});
