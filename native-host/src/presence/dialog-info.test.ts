import { describe, expect, it } from 'vitest';
import { DialogInfoError, MAX_DIALOGS, parseDialogInfo } from './dialog-info';

// What Kamailio's pua_dialoginfo sent for a bot ringing (captured in the sandbox).
const EARLY = `<?xml version="1.0"?>
<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="2" state="full" entity="sip:2001@sandbox.voispeed.test">
  <dialog id="padi-6b15fce6-67ba-1" call-id="71eabaad2d0f25ac" local-tag="d3b817d1d91b67f3" remote-tag="90176a6b58613820" direction="recipient">
    <state>early</state>
    <remote><identity display="Mario &amp; Co">sip:3001@sandbox.voispeed.test</identity><target uri="sip:3001-0x565115d58380@127.0.0.1:42550"/></remote>
    <local><identity>sip:2001@sandbox.voispeed.test</identity><target uri="sip:2001-0x55f49adf2db0@127.0.0.1:59401"/></local>
  </dialog>
</dialog-info>`;

describe('parseDialogInfo', () => {
  it('reads a full document with an early dialog, its tags, and both parties', () => {
    const info = parseDialogInfo(EARLY);
    expect(info).toMatchObject({ entity: 'sip:2001@sandbox.voispeed.test', version: 2, state: 'full' });
    expect(info.dialogs).toEqual([
      {
        id: 'padi-6b15fce6-67ba-1',
        state: 'early',
        direction: 'recipient',
        callId: '71eabaad2d0f25ac',
        localTag: 'd3b817d1d91b67f3',
        remoteTag: '90176a6b58613820',
        remote: { identity: 'sip:3001@sandbox.voispeed.test', display: 'Mario & Co', target: 'sip:3001-0x565115d58380@127.0.0.1:42550' },
        local: { identity: 'sip:2001@sandbox.voispeed.test', target: 'sip:2001-0x55f49adf2db0@127.0.0.1:59401' },
      },
    ]);
  });

  it('takes namespace prefixes and an empty document (no dialogs: idle)', () => {
    const info = parseDialogInfo(
      '<d:dialog-info xmlns:d="urn:ietf:params:xml:ns:dialog-info" version="0" state="partial" entity="sip:1@x"><d:dialog id="a"><d:state>Confirmed</d:state></d:dialog></d:dialog-info>',
    );
    expect(info.state).toBe('partial');
    expect(info.dialogs[0]).toMatchObject({ id: 'a', state: 'confirmed' });
    expect(parseDialogInfo('<dialog-info version="1" state="full" entity="sip:1@x"/>').dialogs).toEqual([]);
  });

  const hostile: [string, string][] = [
    ['not XML', 'hello'],
    ['truncated', EARLY.slice(0, 200)],
    ['another root', '<presence/>'],
    ['an external entity', '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><dialog-info version="1" state="full" entity="&x;"/>'],
    ['billion laughs', '<!DOCTYPE d [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><dialog-info version="1" state="full" entity="&b;"/>'],
    ['an unknown entity', '<dialog-info version="1" state="full" entity="&nope;"/>'],
    ['no entity', '<dialog-info version="1" state="full"/>'],
    ['a bad state attribute', '<dialog-info version="1" state="whatever" entity="sip:1@x"/>'],
    ['a bad version', '<dialog-info version="-3" state="full" entity="sip:1@x"/>'],
    ['a dialog without id', '<dialog-info version="1" state="full" entity="sip:1@x"><dialog><state>early</state></dialog></dialog-info>'],
    ['a dialog without state', '<dialog-info version="1" state="full" entity="sip:1@x"><dialog id="1"/></dialog-info>'],
    ['an unknown dialog state', '<dialog-info version="1" state="full" entity="sip:1@x"><dialog id="1"><state>ringing</state></dialog></dialog-info>'],
    ['too many dialogs', `<dialog-info version="1" state="full" entity="sip:1@x">${'<dialog id="1"><state>early</state></dialog>'.repeat(MAX_DIALOGS + 1)}</dialog-info>`],
    ['too large', `<dialog-info version="1" state="full" entity="sip:1@x"><!--${'x'.repeat(70_000)}--></dialog-info>`],
    ['nested too deep', `<dialog-info version="1" state="full" entity="sip:1@x">${'<a>'.repeat(40)}${'</a>'.repeat(40)}</dialog-info>`],
  ];
  it.each(hostile)('refuses %s with a DialogInfoError', (_what, body) => {
    expect(() => parseDialogInfo(body)).toThrow(DialogInfoError);
  });

  it('strips control characters and caps long values, so nothing odd reaches the UI or a header', () => {
    const info = parseDialogInfo(
      `<dialog-info version="1" state="full" entity="sip:1@x"><dialog id="1" call-id="abc&#10;Evil: yes"><state>early</state><remote><identity display="${'N'.repeat(2000)}">sip:2@x</identity></remote></dialog></dialog-info>`,
    );
    expect(info.dialogs[0]!.callId).toBe('abcEvil: yes');
    expect(info.dialogs[0]!.remote.display).toHaveLength(512);
  });

  it('never throws anything but DialogInfoError on random input', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const alphabet = ['<', '>', '/', '"', '=', '&', ';', ' ', 'dialog', 'dialog-info', 'state', 'id', 'version="1"', 'entity="e"', '<!DOCTYPE', ']]>', '<![CDATA[', '\u0000', 'é'];
    for (let i = 0; i < 2000; i++) {
      const base = rnd() < 0.5 ? EARLY : '';
      let s = base;
      for (let k = 0; k < 20; k++) {
        const at = Math.floor(rnd() * (s.length + 1));
        s = s.slice(0, at) + alphabet[Math.floor(rnd() * alphabet.length)] + s.slice(at + (rnd() < 0.3 ? 1 : 0));
      }
      try {
        parseDialogInfo(s);
      } catch (err) {
        expect(err).toBeInstanceOf(DialogInfoError);
      }
    }
  });
});
