import { ErrorCode, ProtocolError, type CallInfo } from '../../../shared/protocol';
import type { Logger } from '../log';
import { conferenceStep, ConferenceStateError, NO_CONFERENCE, type ConferenceAction, type ConferenceEvent, type ConferenceState } from './conference-state';

/** What the conference needs of the calls (CallManager's public surface) and of the browser. */
export interface ConferenceDeps {
  onChange(listener: (call: CallInfo) => void): () => void;
  list(): CallInfo[];
  /** Hold or resume this call only, through the call manager's hold intent (a press during a re-INVITE waits for it). */
  setHold(id: string, hold: boolean): void;
  patch(id: string, change: Partial<CallInfo>): void;
  /** The browser's peer connection of a call (the media bridge's pcId). */
  pcIdOf(id: string): string | undefined;
  /** `media.conference` in the browser's media engine. */
  mix(pcIds: string[]): Promise<{ mixed: number }>;
  log: Logger;
  /** How long merge waits for the calls to come off hold. */
  unholdWaitMs?: number;
}

const live = (c: CallInfo) => c.state === 'active' || c.state === 'held';

/**
 * The 3-way conference (issue 17): Merge takes both calls off hold and has the browser mix them
 * (media.conference: each far end hears the user and the other far end, the user hears both).
 * A leg that ends leaves the other call up with the microphone back; Split un-mixes and holds all
 * calls but the one named. Transitions: conference-state.ts. JsSIP's hold/unhold only: the same
 * over WebSocket and direct SIP.
 */
export class Conferences {
  private state: ConferenceState = NO_CONFERENCE;
  private readonly log: Logger;

  constructor(private readonly deps: ConferenceDeps) {
    this.log = deps.log.child({ module: 'conference' });
    deps.onChange((call) => {
      if (call.state === 'ended' && this.state.members.includes(call.id)) void this.apply({ type: 'leg-ended', id: call.id }).catch((err: unknown) => this.log.warn({ err }, 'conference after a leg ended'));
    });
  }

  /** Merges `ids`, or the two calls up now; answers the calls as they are once mixed. */
  async merge(ids?: string[]): Promise<CallInfo[]> {
    const up = this.deps.list().filter(live);
    const chosen = ids ?? up.map((c) => c.id);
    for (const id of chosen) {
      const call = up.find((c) => c.id === id);
      if (!call) throw new ProtocolError(ErrorCode.INVALID_PARAMS, `call ${id.slice(0, 128)} is not an answered call`);
      if (call.transfer || call.consultFor) throw new ProtocolError(ErrorCode.INVALID_PARAMS, 'finish or cancel the transfer before merging');
    }
    await this.apply({ type: 'merge', ids: chosen });
    return this.members();
  }

  /** Un-merges: every call sends only the microphone again; all but `id` (or the first) go on hold. */
  async split(id?: string): Promise<CallInfo[]> {
    if (id !== undefined && !this.state.members.includes(id)) throw new ProtocolError(ErrorCode.INVALID_PARAMS, `call ${id.slice(0, 128)} is not in a conference`);
    const members = id ? [id, ...this.state.members.filter((m) => m !== id)] : this.state.members;
    await this.apply({ type: 'split' }, members);
    return this.deps.list().filter((c) => members.includes(c.id));
  }

  private members(): CallInfo[] {
    return this.deps.list().filter((c) => this.state.members.includes(c.id));
  }

  private async apply(event: ConferenceEvent, order?: string[]): Promise<void> {
    const before = this.state;
    let step;
    try {
      step = conferenceStep(before, event);
    } catch (err) {
      if (err instanceof ConferenceStateError) throw new ProtocolError(ErrorCode.INVALID_PARAMS, err.message);
      throw err;
    }
    this.state = step.state;
    this.log.info({ event: event.type, members: step.state.members }, 'conference');
    try {
      for (const action of step.actions) await this.run(action, order ?? before.members);
    } catch (err) {
      // A merge that could not be carried out is no conference: nothing was mixed, or it is undone.
      if (event.type === 'merge') {
        this.state = before;
        await this.deps.mix([]).catch(() => undefined);
      }
      throw err;
    } finally {
      this.show(before.members);
    }
  }

  private async run(action: ConferenceAction, former: string[]): Promise<void> {
    const members = this.state.members;
    switch (action) {
      case 'unhold':
        await this.unhold(members);
        return;
      case 'mix':
      case 'unmix': {
        const pcIds = action === 'mix' ? members.map((id) => this.deps.pcIdOf(id)).filter((p): p is string => !!p) : [];
        if (action === 'mix' && pcIds.length !== members.length) throw new ProtocolError(ErrorCode.INTERNAL, 'a call of the conference has no audio in the browser');
        const { mixed } = await this.deps.mix(pcIds);
        this.log.info({ mixed }, 'browser mix');
        return;
      }
      case 'hold-others':
        for (const id of former.slice(1)) {
          const c = this.deps.list().find((x) => x.id === id);
          if (c && c.state === 'active') this.deps.setHold(id, true);
        }
        return;
    }
  }

  /** Takes every member off hold (our hold only) and waits until JsSIP says so, or the deadline. */
  private unhold(ids: string[]): Promise<void> {
    const held = () => this.deps.list().filter((c) => ids.includes(c.id) && c.onHold);
    for (const c of held()) this.deps.setHold(c.id, false);
    if (held().length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const stop = this.deps.onChange(() => {
        if (held().length > 0) return;
        done();
        resolve();
      });
      const timer = setTimeout(() => {
        done();
        reject(new ProtocolError(ErrorCode.CALL_FAILED, 'the calls could not be taken off hold for the conference'));
      }, this.deps.unholdWaitMs ?? 10_000);
      const done = () => {
        stop();
        clearTimeout(timer);
      };
    });
  }

  /** Each call's `merged` (who it is mixed with) and `conferenceWith` (the numbers, kept for the history). */
  private show(former: string[]): void {
    const calls = this.deps.list();
    const members = this.state.members;
    for (const id of new Set([...former, ...members])) {
      const call = calls.find((c) => c.id === id);
      if (!call) continue;
      const others = members.includes(id) ? members.filter((m) => m !== id) : [];
      const numbers = others.map((o) => calls.find((c) => c.id === o)?.remote.number ?? '').filter(Boolean);
      const conferenceWith = [...new Set([...(call.conferenceWith ?? []), ...numbers])].slice(0, 8);
      this.deps.patch(id, { merged: others.length ? others : undefined, ...(conferenceWith.length ? { conferenceWith } : {}) });
    }
  }
}
