import type { ColleagueLamp, ColleagueCaller } from '../../../shared/protocol/colleagues';
import type { DialogEntry, DialogInfo } from './dialog-info';

/**
 * One colleague's dialogs as the NOTIFYs told them (RFC 4235 §4.1: a `full` document replaces
 * what we knew, a `partial` one updates the dialogs it names; an older version is stale), and
 * the lamp they make.
 */
export class DialogBook {
  private dialogs = new Map<string, DialogEntry>();
  private version: number | undefined;

  /** False when the document was stale (an older version) and changed nothing. */
  apply(info: DialogInfo): boolean {
    // Versions only grow within a subscription (§4.1.2): an older document, full or partial, is a
    // NOTIFY that was overtaken (the PBX's workers send them in parallel) and would undo a newer state.
    if (this.version !== undefined && info.version < this.version) return false;
    this.version = info.version;
    if (info.state === 'full') this.dialogs = new Map();
    for (const d of info.dialogs) {
      if (d.state === 'terminated') this.dialogs.delete(d.id);
      else this.dialogs.set(d.id, d);
    }
    return true;
  }

  clear(): void {
    this.dialogs.clear();
    this.version = undefined;
  }

  /** A new subscription starts a new version sequence (RFC 4235 §4.1.2). */
  resetVersion(): void {
    this.version = undefined;
  }

  list(): DialogEntry[] {
    return [...this.dialogs.values()];
  }

  /** The ringing dialog a pick-up would take: an early one toward the colleague. */
  ringing(): DialogEntry | undefined {
    return this.list().find(isRingingIn);
  }
}

function isRingingIn(d: DialogEntry): boolean {
  return (d.state === 'early' || d.state === 'proceeding' || d.state === 'trying') && d.direction !== 'initiator';
}

/**
 * On a call beats ringing (a colleague talking with a second call ringing is busy); a colleague
 * dialling out is on a call too. No live dialog: idle.
 */
export function lampOf(dialogs: readonly DialogEntry[]): ColleagueLamp {
  if (dialogs.some((d) => d.state === 'confirmed')) return 'on-call';
  if (dialogs.some(isRingingIn)) return 'ringing';
  if (dialogs.some((d) => d.state !== 'terminated')) return 'on-call';
  return 'idle';
}

/** The user part of a SIP URI (`sip:3001@pbx;x=y` → `3001`), or the URI when it has none. */
export function userOf(uri: string): string {
  const m = /^(?:sips?|tel):([^@;?>]+)/i.exec(uri.trim());
  const user = m?.[1] ?? uri;
  try {
    return decodeURIComponent(user).slice(0, 64);
  } catch {
    return user.slice(0, 64);
  }
}

/** Who is calling a ringing colleague, where the PBX says it. */
export function callerOf(d: DialogEntry | undefined): ColleagueCaller | undefined {
  const identity = d?.remote.identity;
  if (!d || !identity) return undefined;
  return { number: userOf(identity), ...(d.remote.display ? { name: d.remote.display.slice(0, 100) } : {}) };
}

/**
 * The Replaces header (RFC 3891) that takes over a colleague's ringing dialog. In the colleague's
 * document the colleague is `local`: its tag is the early dialog's to-tag, the caller's the
 * from-tag. `early-only`: if the colleague answered meanwhile, the caller refuses instead of
 * handing over a call in progress (pick-up too late).
 */
export function replacesFor(d: DialogEntry): string | undefined {
  if (!d.callId || !d.localTag || !d.remoteTag) return undefined;
  // RFC 3261 word/token characters without the quoting and bracket ones: nothing that could end
  // the header value or be read as another parameter.
  const safe = /^[A-Za-z0-9\-.!%*_+`'~:@/]{1,256}$/;
  if (!safe.test(d.callId) || !safe.test(d.localTag) || !safe.test(d.remoteTag)) return undefined;
  return `Replaces: ${d.callId};to-tag=${d.localTag};from-tag=${d.remoteTag};early-only`;
}
