import sax from 'sax';

/**
 * application/dialog-info+xml (RFC 4235), decoded totally: any input gives a DialogInfo or a
 * `DialogInfoError`, never an exception from deeper down, and nothing from the document reaches
 * further than these plain, length-capped strings. A DOCTYPE is refused (no entity tricks), only
 * the five XML entities are known, and the size, the dialog count and every value are capped.
 */

export type DialogState = 'trying' | 'proceeding' | 'early' | 'confirmed' | 'terminated';
export type DialogDirection = 'initiator' | 'recipient';

export interface Participant {
  /** The identity URI (`sip:3001@pbx`), as sent. */
  identity?: string;
  /** The identity's display attribute ("Mario Rossi"). */
  display?: string;
  /** The participant's target URI (its Contact), where the PBX says it. */
  target?: string;
}

export interface DialogEntry {
  id: string;
  state: DialogState;
  direction?: DialogDirection;
  callId?: string;
  localTag?: string;
  remoteTag?: string;
  local: Participant;
  remote: Participant;
}

export interface DialogInfo {
  entity: string;
  version: number;
  /** `full`: these are all the entity's dialogs; `partial`: changes to merge into the last full state. */
  state: 'full' | 'partial';
  dialogs: DialogEntry[];
}

export class DialogInfoError extends Error {
  override name = 'DialogInfoError';
}

export const MAX_BODY_BYTES = 64 * 1024;
export const MAX_DIALOGS = 32;
const MAX_VALUE = 512;
const STATES: readonly string[] = ['trying', 'proceeding', 'early', 'confirmed', 'terminated'];

function capped(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  // Control characters never belong in a URI or a name; a long value is cut, not trusted whole.
  const clean = value.replace(/[\x00-\x1f\x7f]/g, '').trim();
  return clean ? clean.slice(0, MAX_VALUE) : undefined;
}

/** The local name of an element, namespace prefix dropped (`dinfo:dialog` → `dialog`). */
function local(name: string): string {
  const i = name.indexOf(':');
  return (i >= 0 ? name.slice(i + 1) : name).toLowerCase();
}

export function parseDialogInfo(body: string): DialogInfo {
  if (typeof body !== 'string') throw new DialogInfoError('not text');
  if (Buffer.byteLength(body, 'utf8') > MAX_BODY_BYTES) throw new DialogInfoError(`larger than ${MAX_BODY_BYTES} bytes`);
  // strictEntities (only &lt; &gt; &amp; &quot; &apos;) is in sax 1.6 but not in @types/sax.
  const parser = sax.parser(true, { strictEntities: true, trim: false, normalize: false, position: false } as sax.SAXOptions);
  let root: DialogInfo | undefined;
  let dialog: DialogEntry | undefined;
  let party: Participant | undefined;
  let text: 'state' | 'identity' | undefined;
  let buffer = '';
  let depth = 0;
  let failure: string | undefined;
  const fail = (why: string) => {
    failure ??= why;
  };

  parser.onerror = (err) => {
    // The first error is the one worth reporting; close() then throws it, which is caught below.
    fail(`malformed XML: ${String(err.message).split('\n')[0]}`);
  };
  parser.ondoctype = () => fail('a DOCTYPE is not accepted');
  parser.onopentag = (tag) => {
    if (failure) return;
    depth++;
    if (depth > 16) return fail('nested too deep');
    const name = local(tag.name);
    const attr = (k: string) => {
      const v = tag.attributes[k];
      return typeof v === 'string' ? v : undefined;
    };
    if (depth === 1) {
      if (name !== 'dialog-info') return fail(`root element is <${tag.name}>, not <dialog-info>`);
      const version = Number(attr('version'));
      const state = attr('state');
      const entity = capped(attr('entity'));
      if (!entity) return fail('no entity');
      if (state !== 'full' && state !== 'partial') return fail('state is neither full nor partial');
      if (!Number.isSafeInteger(version) || version < 0) return fail('version is not a number');
      root = { entity, version, state, dialogs: [] };
      return;
    }
    if (!root) return;
    if (depth === 2 && name === 'dialog') {
      if (root.dialogs.length >= MAX_DIALOGS) return fail(`more than ${MAX_DIALOGS} dialogs`);
      const id = capped(attr('id'));
      if (!id) return fail('a dialog without id');
      const direction = attr('direction');
      dialog = {
        id,
        state: 'terminated',
        local: {},
        remote: {},
        ...(direction === 'initiator' || direction === 'recipient' ? { direction } : {}),
        ...optional('callId', capped(attr('call-id'))),
        ...optional('localTag', capped(attr('local-tag'))),
        ...optional('remoteTag', capped(attr('remote-tag'))),
      };
      (dialog as { stateSeen?: boolean }).stateSeen = false;
      return;
    }
    if (!dialog) return;
    if (depth === 3 && name === 'state') {
      text = 'state';
      buffer = '';
    } else if (depth === 3 && (name === 'local' || name === 'remote')) {
      party = dialog[name];
    } else if (depth === 4 && party && name === 'identity') {
      text = 'identity';
      buffer = '';
      const display = capped(attr('display'));
      if (display) party.display = display;
    } else if (depth === 4 && party && name === 'target') {
      const uri = capped(attr('uri'));
      if (uri) party.target = uri;
    }
  };
  parser.ontext = (t) => {
    if (text && buffer.length < MAX_VALUE * 2) buffer += t;
  };
  parser.oncdata = parser.ontext;
  parser.onclosetag = (tagName) => {
    if (failure) return;
    const name = local(tagName);
    if (text === 'state' && name === 'state' && dialog) {
      const s = buffer.trim().toLowerCase();
      if (!STATES.includes(s)) fail(`unknown dialog state ${JSON.stringify(s.slice(0, 20))}`);
      else {
        dialog.state = s as DialogState;
        (dialog as { stateSeen?: boolean }).stateSeen = true;
      }
      text = undefined;
    } else if (text === 'identity' && name === 'identity' && party) {
      const v = capped(buffer);
      if (v) party.identity = v;
      text = undefined;
    } else if (depth === 3 && (name === 'local' || name === 'remote')) {
      party = undefined;
    } else if (depth === 2 && name === 'dialog' && dialog && root) {
      const seen = (dialog as { stateSeen?: boolean }).stateSeen;
      delete (dialog as { stateSeen?: boolean }).stateSeen;
      if (!seen) fail(`dialog ${dialog.id} has no state`);
      else root.dialogs.push(dialog);
      dialog = undefined;
    }
    depth--;
  };

  try {
    parser.write(body).close();
  } catch (err) {
    fail(`malformed XML: ${String((err as Error).message).split('\n')[0]}`);
  }
  if (failure) throw new DialogInfoError(failure);
  if (!root) throw new DialogInfoError('no <dialog-info> element');
  return root;
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}
