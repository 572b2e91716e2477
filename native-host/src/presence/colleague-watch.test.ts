import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import type { ColleaguesView } from '../../../shared/protocol/colleagues';
import { callerOf, DialogBook, lampOf, replacesFor } from './colleague-lamp';
import { ColleagueWatch, type SubscribingUa, type SubscriptionLike } from './colleague-watch';
import { parseDialogInfo, type DialogEntry } from './dialog-info';

const log = { child: () => log, info: () => undefined, warn: vi.fn(), debug: () => undefined, error: () => undefined } as never;

class FakeSub extends EventEmitter implements SubscriptionLike {
  subscribed = 0;
  terminated = 0;
  constructor(readonly target: string) {
    super();
  }
  subscribe() {
    this.subscribed++;
  }
  terminate() {
    this.terminated++;
  }
}

class FakeUa implements SubscribingUa {
  subs: FakeSub[] = [];
  subscribe(target: string, eventName: string, accept: string) {
    expect(eventName).toBe('dialog');
    expect(accept).toBe('application/dialog-info+xml');
    const s = new FakeSub(target);
    this.subs.push(s);
    return s;
  }
  live(ext: string): FakeSub {
    const s = [...this.subs].reverse().find((x) => x.target === `sip:${ext}@pbx`);
    if (!s) throw new Error(`no subscription for ${ext}`);
    return s;
  }
}

const doc = (version: number, state: 'full' | 'partial', dialogs: string) =>
  `<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="${version}" state="${state}" entity="sip:1002@pbx">${dialogs}</dialog-info>`;
const dialog = (id: string, state: string, direction = 'recipient') =>
  `<dialog id="${id}" call-id="c-${id}" local-tag="lt" remote-tag="rt" direction="${direction}"><state>${state}</state><remote><identity display="Anna">sip:3001@pbx</identity><target uri="sip:3001@127.0.0.1:5070"/></remote></dialog>`;
const notify = (s: FakeSub, body: string) => s.emit('notify', false, {}, body, 'application/dialog-info+xml');

function setup(retryDelayMs = () => 10) {
  const views: ColleaguesView[] = [];
  const watch = new ColleagueWatch({ log, onChange: (v) => views.push(v), retryDelayMs, now: () => 1 });
  const ua = new FakeUa();
  const lamp = (ext: string) => views.at(-1)?.colleagues.find((c) => c.ext === ext);
  return { watch, ua, views, lamp };
}

describe('colleague lamps', () => {
  it('unknown until registered, idle on an empty NOTIFY, then ringing (with the caller) → on a call → idle', () => {
    const { watch, ua, lamp } = setup();
    watch.setExtensions(['1002']);
    expect(lamp('1002')?.lamp).toBe('unknown');
    expect(ua.subs).toHaveLength(0);
    watch.setRegistered(ua, 'pbx');
    const s = ua.live('1002');
    expect(s.subscribed).toBe(1);
    s.emit('active');
    expect(lamp('1002')?.lamp).toBe('idle');
    notify(s, doc(1, 'full', dialog('a', 'early')));
    expect(lamp('1002')).toMatchObject({ lamp: 'ringing', caller: { number: '3001', name: 'Anna' } });
    expect(watch.ringingDialog('1002')?.callId).toBe('c-a');
    notify(s, doc(2, 'full', dialog('a', 'confirmed')));
    expect(lamp('1002')?.lamp).toBe('on-call');
    expect(lamp('1002')?.caller).toBeUndefined();
    notify(s, doc(3, 'full', dialog('a', 'terminated')));
    expect(lamp('1002')?.lamp).toBe('idle');
  });

  it('merges partial documents and ignores a stale one', () => {
    const book = new DialogBook();
    book.apply(parseDialogInfo(doc(5, 'full', dialog('a', 'confirmed'))));
    book.apply(parseDialogInfo(doc(6, 'partial', dialog('b', 'early'))));
    expect(lampOf(book.list())).toBe('on-call');
    expect(book.apply(parseDialogInfo(doc(4, 'partial', dialog('a', 'terminated'))))).toBe(false);
    // A full document overtaken by a newer one (NOTIFYs sent in parallel) is stale too.
    expect(book.apply(parseDialogInfo(doc(5, 'full', '')))).toBe(false);
    expect(lampOf(book.list())).toBe('on-call');
    book.apply(parseDialogInfo(doc(7, 'partial', dialog('a', 'terminated'))));
    expect(lampOf(book.list())).toBe('ringing');
    expect(lampOf([])).toBe('idle');
    expect(lampOf([{ id: 'x', state: 'early', direction: 'initiator', local: {}, remote: {} }])).toBe('on-call');
  });

  it('a document it cannot read changes nothing and is logged', () => {
    const { watch, ua, lamp } = setup();
    watch.setExtensions(['1002']);
    watch.setRegistered(ua, 'pbx');
    notify(ua.live('1002'), doc(1, 'full', dialog('a', 'early')));
    notify(ua.live('1002'), '<!DOCTYPE x [<!ENTITY a "b">]><dialog-info/>');
    expect(lamp('1002')?.lamp).toBe('ringing');
  });

  it('a subscription that ends goes offline and is retried; a new registration re-subscribes everything', async () => {
    const { watch, ua, lamp } = setup();
    watch.setExtensions(['1002', '1003']);
    watch.setRegistered(ua, 'pbx');
    const first = ua.live('1002');
    first.emit('terminated', 2, '481', undefined);
    expect(lamp('1002')?.lamp).toBe('offline');
    await vi.waitFor(() => expect(ua.live('1002')).not.toBe(first));
    ua.live('1002').emit('active');
    expect(lamp('1002')?.lamp).toBe('idle');

    const before = ua.subs.length;
    const old1003 = ua.live('1003');
    watch.setRegistered(undefined);
    expect(lamp('1002')?.lamp).toBe('unknown');
    expect(old1003.terminated).toBe(1);
    watch.setRegistered(ua, 'pbx');
    expect(ua.subs.length).toBe(before + 2);
    // Events from a dropped subscription are ignored.
    notify(old1003, doc(9, 'full', dialog('z', 'confirmed')));
    expect(lamp('1003')?.lamp).toBe('unknown');
    watch.stop();
  });

  it('watches at most 100 and says how many were asked for; removed extensions are unsubscribed', () => {
    const { watch, ua, views } = setup();
    const many = Array.from({ length: 130 }, (_, i) => String(2000 + i));
    watch.setRegistered(ua, 'pbx');
    watch.setExtensions(many);
    expect(views.at(-1)?.colleagues).toHaveLength(100);
    expect(views.at(-1)?.requested).toBe(130);
    expect(ua.subs).toHaveLength(100);
    const s = ua.live('2000');
    watch.setExtensions(['2001']);
    expect(s.terminated).toBe(1);
    expect(views.at(-1)?.colleagues.map((c) => c.ext)).toEqual(['2001']);
    watch.stop();
  });
});

describe('pick-up header and caller', () => {
  const d: DialogEntry = { id: '1', state: 'early', callId: 'abc@h', localTag: 'lt', remoteTag: 'rt', local: {}, remote: { identity: 'sip:%2B3902@pbx', display: 'Ufficio' } };
  it('Replaces: the colleague’s tag is the to-tag, the caller’s the from-tag, early-only', () => {
    expect(replacesFor(d)).toBe('Replaces: abc@h;to-tag=lt;from-tag=rt;early-only');
  });
  it('no header from values that could break it, or when a tag is missing', () => {
    expect(replacesFor({ ...d, callId: 'a;b' })).toBeUndefined();
    expect(replacesFor({ ...d, localTag: 'x\r\nEvil: 1' })).toBeUndefined();
    expect(replacesFor({ ...d, remoteTag: undefined as never })).toBeUndefined();
  });
  it('the caller is the remote identity’s user part, decoded', () => {
    expect(callerOf(d)).toEqual({ number: '+3902', name: 'Ufficio' });
    expect(callerOf(undefined)).toBeUndefined();
  });
});
