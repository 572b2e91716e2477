// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallInfo } from '../../shared/protocol';
import { mockCall, mockUiState } from '../lib/mock-connector';
import type { UiState } from '../lib/ui-state';
import { PopupView, type PopupActions } from './popup-view';
import { callEnd } from '../../native-host/src/sip/end-reason';

vi.mock('webextension-polyfill', async () => (await import('../lib/english-catalogue')).fakeI18nBrowser);

let container: HTMLElement;
let actions: { [K in keyof PopupActions]: ReturnType<typeof vi.fn> };

beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
  actions = {
    retry: vi.fn(),
    register: vi.fn(),
    unregister: vi.fn(),
    openOptions: vi.fn(),
    dial: vi.fn(),
    answer: vi.fn(),
    decline: vi.fn(),
    hangup: vi.fn(),
    hold: vi.fn(),
    mute: vi.fn(),
    dtmf: vi.fn(),
    transfer: vi.fn(),
    consult: vi.fn(),
    transferComplete: vi.fn(),
    transferCancel: vi.fn(),
    merge: vi.fn(),
    split: vi.fn(),
    callBack: vi.fn(),
    markSeen: vi.fn(),
    exportCsv: vi.fn(),
    setDnd: vi.fn(),
  };
});
afterEach(() => {
  act(() => render(null, container));
  container.remove();
  vi.useRealTimers();
});

function show(state: UiState, error?: string) {
  act(() => render(<PopupView data={state} actions={actions as unknown as PopupActions} error={error} />, container));
}
const withCalls = (...calls: CallInfo[]) => mockUiState({ calls });
const $ = <E extends Element = HTMLElement>(testid: string, root: ParentNode = container) =>
  root.querySelector<E & HTMLElement>(`[data-testid="${testid}"]`);
const card = (id: string) => container.querySelector<HTMLElement>(`[data-testid=call][data-call-id="${id}"]`)!;
const text = (testid: string, root?: ParentNode) => $(testid, root)?.textContent ?? null;

function type(input: HTMLInputElement, value: string) {
  act(() => {
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}
function press(target: Element, key: string) {
  const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true });
  act(() => void target.dispatchEvent(event));
  return event;
}
function click(target: HTMLElement | null) {
  expect(target, 'element to click').not.toBeNull();
  act(() => target!.click());
}
/** The testids of the controls a call card offers, in tab order. */
const controls = (id: string) =>
  [...card(id).querySelectorAll<HTMLElement>('button, input')].map((e) => e.dataset.testid).filter((t) => !t!.startsWith('call-dtmf-'));

describe('registration line', () => {
  it('keeps the registration status the end-to-end tests read', () => {
    show(mockUiState());
    expect(text('registration')).toBe('Registered as 1001 (mock)');
    expect($('registration')!.getAttribute('role')).toBe('status');
  });

  it('offers no dial pad until registered', () => {
    show(mockUiState({ registration: { state: 'unregistered', since: 0 } }));
    expect($('dial-input')).toBeNull();
    expect(text('registration')).toBe('Not registered');
  });
});

describe('dial pad', () => {
  it('Enter in the number box calls, then empties the box', () => {
    show(mockUiState());
    const input = $<HTMLInputElement>('dial-input')!;
    type(input, '101');
    const enter = press(input, 'Enter');
    expect(actions.dial).toHaveBeenCalledExactlyOnceWith('101');
    expect(enter.defaultPrevented).toBe(true);
    expect(input.value).toBe('');
  });

  it('the Call button calls', () => {
    show(mockUiState());
    type($<HTMLInputElement>('dial-input')!, '0261616161');
    click($('dial-call'));
    expect(actions.dial).toHaveBeenCalledExactlyOnceWith('0261616161');
  });

  it('digit buttons type into the box, backspace takes the last one off', () => {
    show(mockUiState());
    for (const k of ['1', '0', '2', '*', '#']) click($(`dial-key-${k}`));
    click($('dial-backspace'));
    click($('dial-backspace'));
    expect($<HTMLInputElement>('dial-input')!.value).toBe('102');
    click($('dial-call'));
    expect(actions.dial).toHaveBeenCalledWith('102');
  });

  it('a pasted number shows what will be dialled, and that is what is dialled', () => {
    show(mockUiState());
    const input = $<HTMLInputElement>('dial-input')!;
    type(input, '+39 02 6161 6161');
    expect(text('dial-hint')).toBe('Will call 02 6161 6161');
    expect(input.getAttribute('aria-describedby')).toBe($('dial-hint')!.id);
    press(input, 'Enter');
    expect(actions.dial).toHaveBeenCalledWith('0261616161');
  });

  it('a paste followed by Enter before any re-render dials what was pasted', () => {
    show(mockUiState());
    const input = $<HTMLInputElement>('dial-input')!;
    act(() => {
      input.value = '+39 02 6161 6161';
      input.dispatchEvent(new Event('input', { bubbles: true }));
      input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    });
    expect(actions.dial).toHaveBeenCalledExactlyOnceWith('0261616161');
  });

  it('no hint when the number is dialled exactly as typed', () => {
    show(mockUiState());
    type($<HTMLInputElement>('dial-input')!, '101');
    expect($('dial-hint')).toBeNull();
  });

  it('refuses what is not a number, says why, and recovers once fixed', () => {
    show(mockUiState());
    const input = $<HTMLInputElement>('dial-input')!;
    type(input, 'call me maybe');
    expect($('dial-error')).toBeNull(); // not while typing
    press(input, 'Enter');
    expect(actions.dial).not.toHaveBeenCalled();
    expect(text('dial-error')).toBe('This is not a phone number.');
    expect($('dial-error')!.getAttribute('role')).toBe('alert');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    type(input, '+39 02 6161 6161');
    expect($('dial-error')).toBeNull();
    expect(text('dial-hint')).toBe('Will call 02 6161 6161');
  });

  it('an empty box asks for a number', () => {
    show(mockUiState());
    click($('dial-call'));
    expect(actions.dial).not.toHaveBeenCalled();
    expect(text('dial-error')).toBe('Type a number to call.');
  });

  it('the keypad is folded away while a call is up, and can be unfolded', () => {
    show(withCalls(mockCall({ id: 'a', state: 'active', answeredAt: Date.now() })));
    expect($('dial-key-1')).toBeNull();
    expect($('dial-keys-toggle')!.getAttribute('aria-expanded')).toBe('false');
    click($('dial-keys-toggle'));
    expect($('dial-key-1')).not.toBeNull();
  });
});

describe('a call card', () => {
  it('shows the name, the number and the external id', () => {
    show(withCalls(mockCall({ id: 'c1', remote: { name: 'Mario Rossi', number: '0261616161', uri: 'sip:x@y' }, extId: 'CRM-4711' })));
    const c = card('c1');
    expect(c.dataset.state).toBe('ringing-in');
    expect(c.textContent).toContain('Mario Rossi');
    expect(c.textContent).toContain('0261616161');
    expect(text('call-ext-id', c)).toBe('Ext. ID CRM-4711');
    expect(c.getAttribute('aria-label')).toBe('Call with Mario Rossi');
  });

  it('shows a caller-chosen name as text, never as markup', () => {
    show(withCalls(mockCall({ id: 'c1', remote: { name: '<img src=x onerror=alert(1)>', number: '1', uri: 'sip:1@y' } })));
    expect(card('c1').querySelector('img')).toBeNull();
    expect(card('c1').textContent).toContain('<img src=x onerror=alert(1)>');
  });

  it('an anonymous caller is called so', () => {
    show(withCalls(mockCall({ id: 'c1', remote: { number: '', uri: 'sip:anonymous@invalid' } })));
    expect(card('c1').textContent).toContain('Unknown caller');
  });

  it.each([
    ['ringing-in', 'Incoming call', ['call-answer', 'call-decline']],
    ['dialing', 'Calling…', ['call-hangup']],
    ['ringing-out', 'Ringing…', ['call-hangup']],
    ['active', 'In call', ['call-hold', 'call-mute', 'call-keypad', 'call-hangup', 'call-transfer-input', 'call-transfer', 'call-consult']],
    ['held', 'On hold', ['call-hold', 'call-mute', 'call-hangup', 'call-transfer-input', 'call-transfer', 'call-consult']],
    ['ended', 'Call ended', []],
  ] as const)('%s: says "%s" and offers %j', (state, words, offered) => {
    show(withCalls(mockCall({ id: 'c1', state, ...(state === 'active' || state === 'held' ? { answeredAt: Date.now() } : {}) })));
    expect(card('c1').dataset.state).toBe(state);
    expect(card('c1').querySelector('.call__state')!.textContent).toBe(words);
    expect(controls('c1')).toEqual(offered);
    expect(card('c1').querySelectorAll('[data-testid^=call-dtmf-]').length).toBe(state === 'active' ? 12 : 0);
  });

  it('ringing in: Answer and Decline', () => {
    show(withCalls(mockCall({ id: 'c1' })));
    click($('call-answer'));
    click($('call-decline'));
    expect(actions.answer).toHaveBeenCalledExactlyOnceWith('c1');
    expect(actions.decline).toHaveBeenCalledExactlyOnceWith('c1');
  });

  it('ringing out: Hang up cancels', () => {
    show(withCalls(mockCall({ id: 'c1', direction: 'out', state: 'ringing-out' })));
    click($('call-hangup'));
    expect(actions.hangup).toHaveBeenCalledExactlyOnceWith('c1');
  });

  it('active: Hold, Mute, Hang up', () => {
    show(withCalls(mockCall({ id: 'c1', state: 'active', answeredAt: 1 })));
    expect(text('call-hold')).toBe('Hold');
    expect(text('call-mute')).toBe('Mute');
    click($('call-hold'));
    click($('call-mute'));
    click($('call-hangup'));
    expect(actions.hold).toHaveBeenCalledExactlyOnceWith('c1', true);
    expect(actions.mute).toHaveBeenCalledExactlyOnceWith('c1', true);
    expect(actions.hangup).toHaveBeenCalledExactlyOnceWith('c1');
  });

  it('held and muted: Resume and Unmute', () => {
    show(withCalls(mockCall({ id: 'c1', state: 'held', onHold: true, muted: true, answeredAt: 1 })));
    expect(text('call-hold')).toBe('Resume');
    expect(text('call-mute')).toBe('Unmute');
    click($('call-hold'));
    click($('call-mute'));
    expect(actions.hold).toHaveBeenCalledExactlyOnceWith('c1', false);
    expect(actions.mute).toHaveBeenCalledExactlyOnceWith('c1', false);
  });

  it('says when the other party holds us', () => {
    show(withCalls(mockCall({ id: 'c1', state: 'active', remoteHold: true, answeredAt: 1 })));
    expect(card('c1').textContent).toContain('The other party put you on hold.');
  });

  it('DTMF: each key pressed is sent, by click or by typing inside the keypad', () => {
    show(withCalls(mockCall({ id: 'c1', state: 'active', answeredAt: 1 })));
    click($('call-dtmf-5'));
    click($('call-dtmf-*'));
    press($('call-dtmf-5')!, '#');
    expect(actions.dtmf.mock.calls).toEqual([
      ['c1', '5'],
      ['c1', '*'],
      ['c1', '#'],
    ]);
    // Focus follows the typed key, so the user sees which one went.
    expect(document.activeElement).toBe($('call-dtmf-#'));
  });

  it('DTMF: digits typed elsewhere in the card send nothing', () => {
    show(withCalls(mockCall({ id: 'c1', state: 'active', answeredAt: 1 })));
    press($('call-hangup')!, '5');
    press($('call-hold')!, '#');
    type($<HTMLInputElement>('call-transfer-input')!, '123');
    press($('call-transfer-input')!, '4');
    expect(actions.dtmf).not.toHaveBeenCalled();
  });

  it('the DTMF keypad folds away', () => {
    show(withCalls(mockCall({ id: 'c1', state: 'active', answeredAt: 1 })));
    expect($('call-keypad')!.getAttribute('aria-expanded')).toBe('true');
    click($('call-keypad'));
    expect($('call-dtmf-1')).toBeNull();
    expect($('call-keypad')!.getAttribute('aria-expanded')).toBe('false');
  });

  it('blind transfer: the target is normalised; Enter or the button confirms', () => {
    show(withCalls(mockCall({ id: 'c1', state: 'active', answeredAt: 1 })));
    const input = $<HTMLInputElement>('call-transfer-input')!;
    type(input, '+39 02 6161 6161');
    click($('call-transfer'));
    type(input, '205');
    press(input, 'Enter');
    expect(actions.transfer.mock.calls).toEqual([
      ['c1', '0261616161'],
      ['c1', '205'],
    ]);
  });

  it('attended transfer: Consult asks for the normalised target', () => {
    show(withCalls(mockCall({ id: 'c1', state: 'active', answeredAt: 1 })));
    type($<HTMLInputElement>('call-transfer-input')!, '3001');
    click($('call-consult'));
    expect(actions.consult.mock.calls).toEqual([['c1', '3001']]);
    expect(actions.transfer).not.toHaveBeenCalled();
  });

  it('attended transfer: the caller card says where it stands, with Complete and Cancel; the consult card too', () => {
    show(
      withCalls(
        mockCall({ id: 'c1', state: 'held', onHold: true, answeredAt: 1, transfer: { target: '3001', consultId: 'c2', phase: 'talking' } }),
        mockCall({ id: 'c2', direction: 'out', state: 'active', answeredAt: 2, consultFor: 'c1' }),
      ),
    );
    const panel = card('c1').querySelector<HTMLElement>('[data-testid=attended-transfer]')!;
    expect(panel.textContent).toContain('Talking to 3001; the caller is on hold');
    expect(card('c1').querySelector('[data-testid=call-transfer-input]')).toBeNull();
    click(card('c1').querySelector<HTMLElement>('[data-testid=call-transfer-complete]'));
    click(card('c2').querySelector<HTMLElement>('[data-testid=call-transfer-cancel]'));
    expect(card('c2').querySelector('[data-testid=attended-transfer-text]')!.textContent).toBe('Consultation for a transfer');
    expect(card('c2').querySelector('[data-testid=call-transfer-input]')).toBeNull();
    expect(actions.transferComplete.mock.calls).toEqual([['c1']]);
    expect(actions.transferCancel.mock.calls).toEqual([['c2']]);
  });

  it('attended transfer: a busy target is said as an alert, with Cancel only and the form back', () => {
    show(withCalls(mockCall({ id: 'c1', state: 'held', onHold: true, answeredAt: 1, transfer: { target: '3001', phase: 'failed', failure: 'target-busy', code: 486 } })));
    const text = card('c1').querySelector<HTMLElement>('[data-testid=attended-transfer-text]')!;
    expect(text.textContent).toBe('3001 is busy (SIP 486): the caller is still on hold');
    expect(text.getAttribute('role')).toBe('alert');
    expect(card('c1').querySelector('[data-testid=call-transfer-complete]')).toBeNull();
    expect(card('c1').querySelector('[data-testid=call-transfer-cancel]')).not.toBeNull();
    expect(card('c1').querySelector('[data-testid=call-consult]')).not.toBeNull();
  });

  it('attended transfer: a refused REFER offers Complete again', () => {
    show(withCalls(mockCall({ id: 'c1', state: 'held', onHold: true, answeredAt: 1, transfer: { target: '3001', consultId: 'c2', phase: 'failed', failure: 'refer-refused', code: 403 } })));
    expect(card('c1').querySelector('[data-testid=attended-transfer-text]')!.textContent).toBe('The PBX refused the transfer to 3001 (SIP 403)');
    expect(card('c1').querySelector('[data-testid=call-transfer-complete]')).not.toBeNull();
  });

  it('conference: two answered calls offer Merge; merged calls say with whom and offer Split', () => {
    show(withCalls(mockCall({ id: 'c1', state: 'held', onHold: true, answeredAt: 1 }), mockCall({ id: 'c2', state: 'active', answeredAt: 2, remote: { number: '3001', uri: 'sip:3001@x' } })));
    click(card('c1').querySelector<HTMLElement>('[data-testid=call-merge]'));
    expect(actions.merge.mock.calls).toEqual([['c1']]);
    show(
      withCalls(
        mockCall({ id: 'c1', state: 'active', answeredAt: 1, merged: ['c2'] }),
        mockCall({ id: 'c2', state: 'active', answeredAt: 2, merged: ['c1'], remote: { number: '3001', uri: 'sip:3001@x' } }),
      ),
    );
    expect(card('c1').querySelector('[data-testid=conference-text]')!.textContent).toBe('In conference with 3001');
    expect(card('c1').querySelector('[data-testid=call-merge]')).toBeNull();
    click(card('c2').querySelector<HTMLElement>('[data-testid=call-split]'));
    expect(actions.split.mock.calls).toEqual([['c2']]);
  });

  it('conference: no Merge with one call, or while a transfer is going on', () => {
    show(withCalls(mockCall({ id: 'c1', state: 'active', answeredAt: 1 })));
    expect($('call-merge')).toBeNull();
    show(withCalls(mockCall({ id: 'c1', state: 'held', onHold: true, answeredAt: 1, transfer: { target: '3001', consultId: 'c2', phase: 'talking' } }), mockCall({ id: 'c2', state: 'active', answeredAt: 2, consultFor: 'c1' })));
    expect($('call-merge')).toBeNull();
  });

  it('blind transfer: refuses a target that is not a number', () => {
    show(withCalls(mockCall({ id: 'c1', state: 'held', answeredAt: 1 })));
    type($<HTMLInputElement>('call-transfer-input')!, 'nobody');
    click($('call-transfer'));
    expect(actions.transfer).not.toHaveBeenCalled();
    expect(card('c1').querySelector('[role=alert]')!.textContent).toBe('This is not a phone number.');
  });
});

describe('duration', () => {
  it('ticks each second from the answer, mm:ss', () => {
    vi.useFakeTimers({ now: 1_000_000, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    show(withCalls(mockCall({ id: 'c1', state: 'active', answeredAt: 1_000_000 - 58_500 })));
    expect(text('call-duration')).toBe('00:58');
    act(() => void vi.advanceTimersByTime(500));
    expect(text('call-duration')).toBe('00:59');
    act(() => void vi.advanceTimersByTime(1000));
    expect(text('call-duration')).toBe('01:00');
    act(() => void vi.advanceTimersByTime(61_000));
    expect(text('call-duration')).toBe('02:01');
  });

  it('is absent before the answer and frozen once the call ends', () => {
    vi.useFakeTimers({ now: 1_000_000, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    show(withCalls(mockCall({ id: 'c1', state: 'ringing-in' })));
    expect($('call-duration')).toBeNull();
    show(withCalls(mockCall({ id: 'c1', state: 'active', answeredAt: 1_000_000 })));
    act(() => void vi.advanceTimersByTime(5000));
    expect(text('call-duration')).toBe('00:05');
    show(withCalls(mockCall({ id: 'c1', state: 'ended', answeredAt: 1_000_000, endedAt: 1_005_000, end: callEnd('remote', 'Terminated') })));
    act(() => void vi.advanceTimersByTime(10_000));
    expect(text('call-duration')).toBe('00:05');
  });
});

describe('how a call ended', () => {
  const endedOut = (end: CallInfo['end']) => mockCall({ id: 'c1', direction: 'out', state: 'ended', end });
  it.each([
    [callEnd('remote', 'Busy', 486), 'Call ended: busy'],
    [callEnd('remote', 'Rejected', 603), 'Call ended: declined'],
    [callEnd('remote', 'Not Found', 404), 'Call ended: number not found'],
    [callEnd('remote', 'Unavailable', 480), 'Call ended: no answer'],
    [callEnd('remote', 'SIP Failure Code', 500), 'Call ended: failed (SIP 500)'],
    [callEnd('system', 'Connection Error'), 'Call ended: the connection to the PBX failed'],
    [callEnd('system', 'No Microphone'), 'Call ended: no microphone found'],
    [callEnd('remote', 'Terminated'), 'Call ended: the other party hung up'],
    [callEnd('local', 'Terminated'), 'Call ended: you hung up'],
    [callEnd('local', 'Canceled'), 'Call ended: cancelled'],
  ] as const)('%o → "%s"', (end, words) => {
    show(withCalls(endedOut(end)));
    expect(card('c1').querySelector('.call__state')!.textContent).toBe(words);
  });

  it('an incoming call nobody answered reads as missed', () => {
    show(withCalls(mockCall({ id: 'c1', state: 'ended', end: callEnd('remote', 'Canceled') })));
    expect(card('c1').querySelector('.call__state')!.textContent).toBe('Call ended: missed');
  });
});

describe('call waiting', () => {
  const talking = mockCall({ id: 'first', state: 'active', answeredAt: 1, remote: { name: 'Anna', number: '201', uri: 'sip:201@pbx' } });
  const waiting = mockCall({ id: 'second', state: 'ringing-in', remote: { name: 'Bruno', number: '202', uri: 'sip:202@pbx' } });

  it('a second call ringing during a call offers Answer (holding the first) and Decline', () => {
    show(withCalls(talking, waiting));
    expect(controls('second')).toEqual(['call-answer', 'call-decline']);
    expect(card('second').textContent).toContain('Answering puts the current call on hold.');
    expect(controls('first')).toContain('call-hangup');
    click($('call-answer', card('second')));
    expect(actions.answer).toHaveBeenCalledExactlyOnceWith('second');
  });

  it('declining the waiting call leaves the first alone', () => {
    show(withCalls(talking, waiting));
    click($('call-decline', card('second')));
    expect(actions.decline).toHaveBeenCalledExactlyOnceWith('second');
    expect(actions.hangup).not.toHaveBeenCalled();
  });

  it('the ringing call is listed first, where it cannot be scrolled out of sight', () => {
    show(withCalls(talking, waiting));
    expect([...container.querySelectorAll<HTMLElement>('[data-testid=call]')].map((c) => c.dataset.callId)).toEqual(['second', 'first']);
  });

  it('answering the waiting call by keyboard keeps focus on it while the cards swap places', () => {
    show(withCalls(talking, waiting));
    act(() => $('call-answer', card('second'))!.focus());
    show(withCalls({ ...talking, state: 'held', onHold: true }, { ...waiting, state: 'active', answeredAt: 2 }));
    expect(document.activeElement).toBe($('call-hold', card('second')));
  });

  it('a lone ringing call has no call-waiting note', () => {
    show(withCalls(waiting));
    expect(card('second').textContent).not.toContain('on hold');
  });

  it('after the answer the first call shows as held and the second as active', () => {
    show(withCalls({ ...talking, state: 'held', onHold: true }, { ...waiting, state: 'active', answeredAt: 2 }));
    expect(card('first').dataset.state).toBe('held');
    expect(text('call-hold', card('first'))).toBe('Resume');
    expect(card('second').dataset.state).toBe('active');
  });
});

describe('keyboard and screen readers', () => {
  it('opens with focus in the number box, or on Answer when a call is ringing', () => {
    show(mockUiState());
    expect(document.activeElement).toBe($('dial-input'));
    act(() => render(null, container));
    show(withCalls(mockCall({ id: 'c1' })));
    expect(document.activeElement).toBe($('call-answer'));
  });

  it('every control is a native button or input, in document order, with a name', () => {
    show(withCalls(mockCall({ id: 'c1', state: 'active', answeredAt: 1 }), mockCall({ id: 'c2' })));
    const focusable = [...container.querySelectorAll<HTMLElement>('button, input, [tabindex]')];
    expect(focusable.length).toBeGreaterThan(20);
    for (const el of focusable) {
      expect(['BUTTON', 'INPUT'], el.outerHTML).toContain(el.tagName);
      expect(Number(el.getAttribute('tabindex') ?? 0), el.outerHTML).toBeLessThanOrEqual(0);
      const name = el.getAttribute('aria-label') ?? el.textContent?.trim();
      expect(name, el.outerHTML).toBeTruthy();
      if (el.tagName === 'BUTTON') expect(el.getAttribute('type')).toBe('button');
    }
    expect($('call-dtmf-*')!.getAttribute('aria-label')).toBe('Star');
    expect($('call-dtmf-#')!.getAttribute('aria-label')).toBe('Hash');
  });

  it('call changes are announced in a live region that is always there', () => {
    const call = mockCall({ id: 'c1', direction: 'out', state: 'dialing', remote: { name: 'Mario Rossi', number: '0261616161', uri: 'sip:x@y' } });
    show(mockUiState());
    const region = $('call-announcer')!;
    expect(region.getAttribute('role')).toBe('status');
    expect(region.getAttribute('aria-live')).toBe('polite');
    show(withCalls(call));
    expect(region.textContent).toBe('Mario Rossi: Calling…');
    show(withCalls({ ...call, state: 'active', answeredAt: 1 }));
    expect(region.textContent).toBe('Mario Rossi: In call');
    show(withCalls({ ...call, state: 'ended', end: callEnd('remote', 'Busy', 486) }));
    expect(region.textContent).toBe('Mario Rossi: Call ended: busy');
    expect($('call-announcer')).toBe(region);
  });

  it('a whole call by keyboard: dial with Enter, keep focus as buttons change, land back in the box', () => {
    show(mockUiState());
    const input = $<HTMLInputElement>('dial-input')!;
    type(input, '201');
    press(input, 'Enter');
    expect(actions.dial).toHaveBeenCalledWith('201');

    const call = mockCall({ id: 'k', direction: 'out', state: 'dialing', remote: { number: '201', uri: 'sip:201@pbx' } });
    show(withCalls(call));
    act(() => $('call-hangup')!.focus());
    show(withCalls({ ...call, state: 'active', answeredAt: 1 }));
    // Hang up survived the change, so focus stays on it.
    expect(document.activeElement).toBe($('call-hangup'));
    act(() => $('call-dtmf-1')!.focus());
    press(document.activeElement!, '2');
    expect(actions.dtmf).toHaveBeenCalledWith('k', '2');
    act(() => $('call-hold')!.focus());
    show(withCalls({ ...call, state: 'held', onHold: true, answeredAt: 1 }));
    expect(document.activeElement).toBe($('call-hold'));
    act(() => $('call-hangup')!.focus());
    show(withCalls({ ...call, state: 'ended', answeredAt: 1, end: callEnd('local', 'Terminated') }));
    // The ended card has no controls: focus goes back to the number box, not to <body>.
    expect(document.activeElement).toBe($('dial-input'));
  });

  it('answering from the keyboard moves focus onto the answered call', () => {
    const call = mockCall({ id: 'r' });
    show(withCalls(call));
    expect(document.activeElement).toBe($('call-answer'));
    show(withCalls({ ...call, state: 'active', answeredAt: 1 }));
    expect(document.activeElement).toBe($('call-hold'));
  });
});

describe('errors', () => {
  it('an action that failed is shown as an alert', () => {
    show(mockUiState(), 'not registered');
    const alert = container.querySelector('.error')!;
    expect(alert.textContent).toBe('not registered');
    expect(alert.getAttribute('role')).toBe('alert');
  });
});
