// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ColleaguesView } from '../../shared/protocol';
import { mockCall } from '../lib/mock-connector';
import { ColleaguesPanel, type ColleagueActions } from './colleagues-panel';
import { parseColleagueList } from '../options/colleagues-section';

vi.mock('webextension-polyfill', async () => (await import('../lib/english-catalogue')).fakeI18nBrowser);

let container: HTMLElement;
let actions: { [K in keyof ColleagueActions]: ReturnType<typeof vi.fn> };
beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
  actions = { dial: vi.fn(), transfer: vi.fn(), pickUp: vi.fn() };
});
afterEach(() => {
  act(() => render(null, container));
  container.remove();
});

const view: ColleaguesView = {
  requested: 4,
  colleagues: [
    { ext: '1002', lamp: 'ringing', caller: { number: '3001', name: 'Anna <b>' }, since: 1 },
    { ext: '1003', lamp: 'on-call', since: 1 },
    { ext: '1004', lamp: 'idle', since: 1 },
    { ext: '1005', lamp: 'offline', since: 1 },
  ],
};
const row = (ext: string) => container.querySelector<HTMLElement>(`[data-testid=colleague][data-ext="${ext}"]`)!;
const show = (v: ColleaguesView | undefined, calls = [] as ReturnType<typeof mockCall>[], canDial = true) =>
  act(() => render(<ColleaguesPanel view={v} calls={calls} canDial={canDial} actions={actions as unknown as ColleagueActions} />, container));

describe('colleagues panel', () => {
  it('shows each lamp in words, the caller of a ringing colleague as text, and Pick up only there', () => {
    show(view);
    expect(row('1002').dataset.lamp).toBe('ringing');
    expect(row('1002').textContent).toContain('Ringing · Anna <b> (3001) calling');
    expect(row('1002').querySelector('b')).toBeNull();
    expect(row('1003').textContent).toContain('On a call');
    expect(row('1004').textContent).toContain('Available');
    expect(row('1005').textContent).toContain('Not available');
    expect(container.querySelectorAll('[data-testid=colleague-pickup]')).toHaveLength(1);
    act(() => row('1002').querySelector<HTMLElement>('[data-testid=colleague-pickup]')!.click());
    expect(actions.pickUp).toHaveBeenCalledWith('1002');
    act(() => row('1004').querySelector<HTMLElement>('[data-testid=colleague-call]')!.click());
    expect(actions.dial).toHaveBeenCalledWith('1004');
  });

  it('during a call every colleague is a one-click transfer target for the active call', () => {
    show(view, [mockCall({ id: 'held1', state: 'held' }), mockCall({ id: 'talk', state: 'active' })]);
    expect(container.querySelector('[data-testid=colleague-call]')).toBeNull();
    act(() => row('1003').querySelector<HTMLElement>('[data-testid=colleague-transfer]')!.click());
    expect(actions.transfer).toHaveBeenCalledWith('talk', '1003');
  });

  it('says when only the first colleagues are watched; nothing at all without a list; no buttons when not registered', () => {
    show({ ...view, requested: 130 });
    expect(container.querySelector('[data-testid=colleagues-limited]')?.textContent).toBe('Only the first 4 of your 130 colleagues are watched.');
    show(view, [], false);
    expect(container.querySelector('button')).toBeNull();
    show({ requested: 0, colleagues: [] });
    expect(container.querySelector('[data-testid=colleagues]')).toBeNull();
    show(undefined);
    expect(container.innerHTML).toBe('');
  });

  it('the options list takes lines, commas and spaces, once each', () => {
    expect(parseColleagueList(' 1002\n1003, 1004;1002  \n\n')).toEqual(['1002', '1003', '1004']);
  });
});

describe('voicemail line', async () => {
  const { VoicemailLine } = await import('./voicemail-line');
  const showVm = (v: Parameters<typeof VoicemailLine>[0]['voicemail'], canDial = true) => {
    const onCall = vi.fn();
    act(() => render(<VoicemailLine voicemail={v} canDial={canDial} onCall={onCall} />, container));
    return onCall;
  };
  it('nothing until the PBX said something; new and old, then cleared; one click calls', () => {
    showVm(undefined);
    expect(container.innerHTML).toBe('');
    showVm({ known: false, waiting: false, newMessages: 0, oldMessages: 0 });
    expect(container.innerHTML).toBe('');
    const onCall = showVm({ known: true, waiting: true, newMessages: 2, oldMessages: 8 });
    const el = container.querySelector<HTMLElement>('[data-testid=voicemail]')!;
    expect(el.dataset.new).toBe('2');
    expect(el.textContent).toContain('Voicemail: 2 new, 8 old');
    act(() => container.querySelector<HTMLElement>('[data-testid=voicemail-call]')!.click());
    expect(onCall).toHaveBeenCalled();
    showVm({ known: true, waiting: false, newMessages: 0, oldMessages: 10 }, false);
    expect(container.querySelector<HTMLElement>('[data-testid=voicemail]')!.dataset.new).toBe('0');
    expect(container.textContent).toBe('Voicemail: no new messages (10 old)');
  });
});
