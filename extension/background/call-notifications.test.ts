import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallInfo } from '../../shared/protocol';
import { englishMessage } from '../lib/english-catalogue';
import { mockCall, mockUiState } from '../lib/mock-connector';
import type { BrowserKind } from '../lib/ui-state';
import { callNotifications, notificationChanges } from './call-notifications';
import type { BackgroundContext } from './context';
import { UiStore } from './ui-store';
import { callEnd } from '../../native-host/src/sip/end-reason';

type Listener = (...args: never[]) => void;
const event = () => {
  const listeners: Listener[] = [];
  return { listeners, addListener: (l: Listener) => void listeners.push(l), fire: (...args: unknown[]) => listeners.forEach((l) => (l as (...a: unknown[]) => void)(...args)) };
};

const fake = vi.hoisted(() => ({}) as Record<string, unknown>);
vi.mock('webextension-polyfill', () => ({ default: fake }));

function fakeBrowser(firefox: boolean) {
  const notifications = {
    create: vi.fn(async (id: string, _options: object) => id),
    clear: vi.fn(async () => true),
    onClicked: event(),
    ...(firefox ? {} : { onButtonClicked: event() }),
  };
  const windows = {
    create: vi.fn(async () => ({ id: 77 })),
    update: vi.fn(async () => ({})),
    onRemoved: event(),
  };
  Object.assign(fake, {
    i18n: { getMessage: englishMessage },
    runtime: {
      getManifest: () => ({ icons: { 128: 'extension/icons/icon-128.png' }, action: { default_popup: 'extension/popup/index.html' } }),
      getURL: (path: string) => `ext://id/${path}`,
    },
    notifications,
    windows,
  });
  return { notifications, windows };
}

function start(browser: BrowserKind) {
  const api = fakeBrowser(browser === 'firefox');
  const store = new UiStore(mockUiState({ browser }));
  const answer = vi.fn();
  const decline = vi.fn();
  store.handle('answer', answer);
  store.handle('decline', decline);
  callNotifications.start({ store, native: undefined as never } as BackgroundContext);
  return { ...api, store, answer, decline, calls: (...calls: CallInfo[]) => store.update({ calls }) };
}
const flush = () => new Promise((r) => setTimeout(r, 0));

describe('notificationChanges', () => {
  const ringing = mockCall({ id: 'a' });
  it('rings once per call', () => {
    expect(notificationChanges(new Map(), [ringing]).ring).toEqual([ringing]);
    expect(notificationChanges(new Map([['a', 'ringing-in']]), [ringing]).ring).toEqual([]);
  });
  it('stops ringing when the call is answered, ends or disappears', () => {
    const seen = new Map([['a', 'ringing-in' as const]]);
    expect(notificationChanges(seen, [{ ...ringing, state: 'active' }]).unring).toEqual(['a']);
    expect(notificationChanges(seen, []).unring).toEqual(['a']);
  });
  it('a call first seen already ended is not news', () => {
    const gone = { ...ringing, state: 'ended' as const, end: callEnd('remote', 'Canceled') };
    expect(notificationChanges(new Map(), [gone]).missed).toEqual([]);
    expect(notificationChanges(new Map([['a', 'ringing-in']]), [gone]).missed).toEqual([gone]);
    expect(notificationChanges(new Map([['a', 'ended']]), [gone]).missed).toEqual([]);
  });
});

describe('failed calls (issue 12.7)', () => {
  const out = mockCall({ id: 'o1', direction: 'out', state: 'dialing', remote: { number: '0261616161', uri: 'sip:0261616161@y' } });
  const noMic = { ...out, state: 'ended' as const, end: callEnd('system', 'No Microphone') };

  it('a call that could not start gets "Call to … failed" with the reason, once', async () => {
    const t = start('chromium');
    t.calls(out);
    t.calls(noMic);
    t.calls(noMic);
    await flush();
    expect(t.notifications.create).toHaveBeenCalledExactlyOnceWith('failed:o1', {
      type: 'basic',
      iconUrl: 'ext://id/extension/icons/icon-128.png',
      title: 'Call to 0261616161 failed',
      message: 'no microphone found',
    });
  });

  it('an incoming call that failed while being answered says "Call from … failed"', async () => {
    const t = start('chromium');
    const inc = mockCall({ id: 'i1', direction: 'in', state: 'ringing-in', remote: { number: '2001', uri: 'sip:2001@y' } });
    t.calls(inc);
    t.calls({ ...inc, state: 'ended', end: callEnd('system', 'No Microphone') });
    await flush();
    expect(t.notifications.create).toHaveBeenCalledWith('failed:i1', expect.objectContaining({ title: 'Call from 2001 failed', message: 'no microphone found' }));
  });

  it('busy, declined, cancelled by us and hung-up calls are not failures', () => {
    for (const end of [
      callEnd('remote', 'Busy', 486),
      callEnd('remote', 'Rejected', 603),
      callEnd('local', 'Canceled'),
      callEnd('remote', 'BYE'),
    ]) {
      expect(notificationChanges(new Map([['o1', 'dialing']]), [{ ...out, state: 'ended', end }]).failed).toEqual([]);
    }
    expect(notificationChanges(new Map([['o1', 'dialing']]), [noMic]).failed).toEqual([noMic]);
    expect(notificationChanges(new Map([['o1', 'ended']]), [noMic]).failed).toEqual([]);
  });
});

describe('call notifications in Chromium', () => {
  let t: ReturnType<typeof start>;
  const call = mockCall({ id: 'in1', remote: { name: 'Mario Rossi', number: '0261616161', uri: 'sip:x@y' } });
  beforeEach(() => {
    t = start('chromium');
  });

  it('a ringing call gets "Incoming call from …" with Answer and Decline buttons, once', async () => {
    t.calls(call);
    t.calls(call);
    await flush();
    expect(t.notifications.create).toHaveBeenCalledExactlyOnceWith('incoming:in1', {
      type: 'basic',
      iconUrl: 'ext://id/extension/icons/icon-128.png',
      title: 'Incoming call from Mario Rossi',
      message: '0261616161\nAnswer or decline here, or from the toolbar button.',
      buttons: [{ title: 'Answer' }, { title: 'Decline' }],
      requireInteraction: true,
      priority: 2,
    });
  });

  it('the buttons answer and decline through the store', async () => {
    t.calls(call);
    t.notifications.onButtonClicked!.fire('incoming:in1', 0);
    t.notifications.onButtonClicked!.fire('incoming:in1', 1);
    t.notifications.onButtonClicked!.fire('missed:in1', 0);
    t.notifications.onButtonClicked!.fire('incoming:in1', 2);
    await flush();
    expect(t.answer).toHaveBeenCalledExactlyOnceWith({ type: 'answer', id: 'in1' });
    expect(t.decline).toHaveBeenCalledExactlyOnceWith({ type: 'decline', id: 'in1' });
  });

  it('is cleared when the call stops ringing, after it was created', async () => {
    t.calls(call);
    t.calls({ ...call, state: 'active', answeredAt: 5 });
    await flush();
    expect(t.notifications.clear).toHaveBeenCalledExactlyOnceWith('incoming:in1');
    expect(t.notifications.create.mock.invocationCallOrder[0]).toBeLessThan(t.notifications.clear.mock.invocationCallOrder[0]!);
    // An answered call that ends is not missed.
    t.calls({ ...call, state: 'ended', answeredAt: 5, end: callEnd('remote', 'Terminated') });
    await flush();
    expect(t.notifications.create).toHaveBeenCalledTimes(1);
  });

  it('is cleared when the host goes away', async () => {
    t.calls(call);
    t.calls();
    await flush();
    expect(t.notifications.clear).toHaveBeenCalledWith('incoming:in1');
  });

  it.each([
    [callEnd('remote', 'Canceled')],
    [callEnd('system', 'No Answer')],
    [callEnd('remote', 'Terminated')],
  ] as const)('a call that stops ringing unanswered (%o) becomes "Missed call from …"', async (end) => {
    t.calls(call);
    t.calls({ ...call, state: 'ended', endedAt: call.startedAt + 9000, end });
    await flush();
    expect(t.notifications.clear).toHaveBeenCalledWith('incoming:in1');
    expect(t.notifications.create).toHaveBeenLastCalledWith('missed:in1', {
      type: 'basic',
      iconUrl: 'ext://id/extension/icons/icon-128.png',
      title: 'Missed call from Mario Rossi',
      message: expect.stringMatching(/^0261616161 · \d/),
    });
  });

  it('declining is not missing', async () => {
    t.calls(call);
    t.calls({ ...call, state: 'ended', end: callEnd('local', 'Rejected', 603) });
    await flush();
    expect(t.notifications.create).toHaveBeenCalledTimes(1);
  });

  it('outgoing calls notify nothing', async () => {
    const out = mockCall({ id: 'o', direction: 'out', state: 'dialing' });
    t.calls(out);
    t.calls({ ...out, state: 'ended', end: callEnd('remote', 'Canceled') });
    await flush();
    expect(t.notifications.create).not.toHaveBeenCalled();
  });

  it('a caller-chosen name is plain, one line, capped, and means nothing to a markup-reading daemon', async () => {
    const name = `<b>Boss</b> & Co\u202e\n${'x'.repeat(200)}`;
    t.calls(mockCall({ id: 'evil', remote: { name, number: '1<2>', uri: 'sip:x@y' } }));
    await flush();
    const options = t.notifications.create.mock.calls[0]![1] as { title: string; message: string };
    expect(options.title).not.toMatch(/[<>&\n\u202e]/);
    expect(options.title.startsWith('Incoming call from ‹b›Boss‹/b› ＆ Co xxx')).toBe(true);
    expect(options.title.length).toBeLessThan(100);
    expect(options.message.startsWith('1‹2›\n')).toBe(true);
  });

  it('clicking the incoming notification opens the phone window, and focuses it the next time', async () => {
    t.calls(call);
    t.notifications.onClicked.fire('incoming:in1');
    await flush();
    t.notifications.onClicked.fire('incoming:in1');
    await flush();
    expect(t.windows.create).toHaveBeenCalledExactlyOnceWith({ url: 'ext://id/extension/popup/index.html', type: 'popup', width: 380, height: 600 });
    expect(t.windows.update).toHaveBeenCalledExactlyOnceWith(77, { focused: true });
    t.windows.onRemoved.fire(77);
    t.notifications.onClicked.fire('incoming:in1');
    await flush();
    expect(t.windows.create).toHaveBeenCalledTimes(2);
  });

  it('clicking a missed-call notification dismisses it', async () => {
    t.notifications.onClicked.fire('missed:in1');
    await flush();
    expect(t.notifications.clear).toHaveBeenCalledWith('missed:in1');
    expect(t.windows.create).not.toHaveBeenCalled();
  });
});

describe('call notifications in Firefox', () => {
  it('no buttons (Firefox refuses them): the text says to click, and a click opens the phone window', async () => {
    const t = start('firefox');
    t.calls(mockCall({ id: 'in1', remote: { number: '0261616161', uri: 'sip:x@y' } }));
    await flush();
    expect(t.notifications.create).toHaveBeenCalledExactlyOnceWith('incoming:in1', {
      type: 'basic',
      iconUrl: 'ext://id/extension/icons/icon-128.png',
      title: 'Incoming call from 0261616161',
      message: 'Click to answer or decline.',
    });
    t.notifications.onClicked.fire('incoming:in1');
    await flush();
    expect(t.windows.create).toHaveBeenCalledExactlyOnceWith({ url: 'ext://id/extension/popup/index.html', type: 'popup', width: 380, height: 600 });
  });
});
