import { describe, expect, it } from 'vitest';
import { HoldIntent, type HoldableSession } from './hold-intent';

/** A session that, like JsSIP, refuses to re-offer while its own or the far end's re-INVITE is in flight. */
class Session implements HoldableSession {
  local = false;
  inFlight: (() => void) | undefined;
  farEndReinvite = false;
  sent: string[] = [];
  ended = false;
  hold(_o?: object, done?: () => void) {
    return this.offer(true, done);
  }
  unhold(_o?: object, done?: () => void) {
    return this.offer(false, done);
  }
  isOnHold() {
    return { local: this.local, remote: false };
  }
  isEstablished() {
    return true;
  }
  isEnded() {
    return this.ended;
  }
  /** The far end answers our re-INVITE. */
  complete() {
    const done = this.inFlight;
    this.inFlight = undefined;
    done?.();
  }
  private offer(hold: boolean, done?: () => void): boolean {
    if (this.local === hold || this.inFlight || this.farEndReinvite) return false;
    this.local = hold;
    this.sent.push(hold ? 'sendonly' : 'sendrecv');
    this.inFlight = done ?? (() => undefined);
    return true;
  }
}

function manualTimers() {
  const timers: (() => void)[] = [];
  return {
    timers,
    setTimer: (fn: () => void) => timers.push(fn),
    clearTimer: () => undefined,
    fire: () => timers.splice(0).forEach((f) => f()),
  };
}

describe('HoldIntent', () => {
  it('Resume pressed while the hold re-INVITE is in flight is sent as soon as it completes', () => {
    const s = new Session();
    const h = new HoldIntent(s);
    expect(h.request(true)).toBe(true);
    expect(h.request(false)).toBe(true);
    expect(s.sent).toEqual(['sendonly']);
    s.complete();
    expect(s.sent).toEqual(['sendonly', 'sendrecv']);
    expect(s.local).toBe(false);
  });

  it('Hold, Resume, Hold in quick succession: one re-INVITE, the call ends up held', () => {
    const s = new Session();
    const h = new HoldIntent(s);
    h.request(true);
    h.request(false);
    h.request(true);
    s.complete();
    expect(s.sent).toEqual(['sendonly']);
    expect(s.local).toBe(true);
  });

  it("while the far end's re-INVITE is in flight, tries again until it can, then stops", () => {
    const s = new Session();
    const t = manualTimers();
    const h = new HoldIntent(s, t);
    s.farEndReinvite = true;
    expect(h.request(true)).toBe(true);
    expect(s.sent).toEqual([]);
    t.fire();
    expect(s.sent).toEqual([]);
    s.farEndReinvite = false;
    t.fire();
    expect(s.sent).toEqual(['sendonly']);
    expect(t.timers).toHaveLength(0);
  });

  it('gives up after giveUpMs, saying so; an ended call stops the retries', () => {
    const s = new Session();
    const t = manualTimers();
    const gaveUp: boolean[] = [];
    let now = 0;
    const h = new HoldIntent(s, { ...t, giveUpMs: 1000, onGiveUp: (w) => gaveUp.push(w), now: () => now });
    s.farEndReinvite = true;
    h.request(true);
    now = 600;
    t.fire();
    expect(gaveUp).toEqual([]);
    now = 1200;
    t.fire();
    expect(gaveUp).toEqual([true]);
    expect(t.timers).toHaveLength(0);

    const ended = new Session();
    const t2 = manualTimers();
    const h2 = new HoldIntent(ended, t2);
    ended.farEndReinvite = true;
    h2.request(true);
    ended.ended = true;
    t2.fire();
    expect(t2.timers).toHaveLength(0);
    expect(h2.request(false)).toBe(false);
  });
});
