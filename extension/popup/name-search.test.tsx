// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallInfo } from '../../shared/protocol';
import { mockCall } from '../lib/mock-connector';
import { remoteParty } from '../lib/call-text';
import { DialPad } from './dial-pad';
import { isNameQuery, type SearchNames } from './name-search';

vi.mock('webextension-polyfill', async () => (await import('../lib/english-catalogue')).fakeI18nBrowser);

let container: HTMLElement;
beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
});
afterEach(() => {
  act(() => render(null, container));
  container.remove();
});

const hits = {
  hits: [
    { name: 'Mario Rossi', company: 'Rossi Srl', numbers: [{ number: '+39 02 5550 0000', label: 'telephoneNumber' }, { number: '+39 347 5500 000', label: 'mobile' }], source: 'ldap' as const },
    { name: 'Marco Rossi', numbers: [{ number: '+39 02 5550 0003' }], source: 'contacts' as const },
  ],
  ldap: 'ok' as const,
};

async function type(input: HTMLInputElement, text: string) {
  await act(async () => {
    input.value = text;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await act(async () => {
    await Promise.resolve();
  });
}
const key = (input: HTMLInputElement, k: string) => act(() => void input.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true })));

describe('dial by name', () => {
  it('searches typed letters, moves with the arrows and calls the chosen number with Enter', async () => {
    const search = vi.fn<SearchNames>(async () => hits);
    const onDial = vi.fn();
    act(() => render(<DialPad onDial={onDial} keysOpenByDefault={false} search={search} />, container));
    const input = container.querySelector<HTMLInputElement>('[data-testid=dial-input]')!;
    await type(input, 'ros mar');
    expect(search).toHaveBeenLastCalledWith('ros mar');
    const rows = [...container.querySelectorAll('[data-testid=name-result]')];
    expect(rows.map((r) => r.getAttribute('data-number'))).toEqual(['+39 02 5550 0000', '+39 347 5500 000', '+39 02 5550 0003']);
    expect(rows[0]!.getAttribute('aria-selected')).toBe('true');
    key(input, 'ArrowDown');
    key(input, 'ArrowDown');
    key(input, 'ArrowDown');
    key(input, 'ArrowUp');
    expect(container.querySelectorAll('[data-testid=name-result]')[2]!.getAttribute('aria-selected')).toBe('true');
    key(input, 'Enter');
    expect(onDial).toHaveBeenCalledWith('0255500003');
    expect(input.value).toBe('');
  });

  it('does not search a number, and drops an answer to an older keystroke', async () => {
    let release!: (v: Awaited<ReturnType<SearchNames>>) => void;
    const search = vi.fn<SearchNames>().mockImplementationOnce(() => new Promise((r) => (release = r))).mockImplementation(async () => ({ hits: [], ldap: 'ok' }));
    act(() => render(<DialPad onDial={vi.fn()} keysOpenByDefault={false} search={search} />, container));
    const input = container.querySelector<HTMLInputElement>('[data-testid=dial-input]')!;
    await type(input, 'ro');
    await type(input, 'rox');
    await act(async () => release(hits));
    expect(container.querySelectorAll('[data-testid=name-result]')).toHaveLength(0);
    await type(input, '02 1234');
    expect(search).toHaveBeenCalledTimes(2);
    expect(isNameQuery('sip:bob@example.com')).toBe(false);
  });
});

describe('the name shown for a call', () => {
  it('prefers the looked-up name, with its company and an http(s) link only', () => {
    const base = mockCall({ remote: { number: '0255500000', name: 'PBX NAME', uri: 'sip:0255500000@pbx' } }) as CallInfo;
    expect(remoteParty(base)).toEqual({ name: 'PBX NAME', number: '0255500000' });
    expect(remoteParty({ ...base, contact: { name: 'Mario Rossi', company: 'Rossi Srl', link: 'https://crm.example/42', source: 'ldap' } })).toEqual({
      name: 'Mario Rossi',
      number: '0255500000',
      company: 'Rossi Srl',
      link: 'https://crm.example/42',
    });
    expect(remoteParty({ ...base, contact: { name: 'X', link: 'javascript:alert(1)', source: 'crm' } }).link).toBeUndefined();
  });
});
