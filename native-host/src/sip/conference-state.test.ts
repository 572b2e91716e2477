import { describe, expect, it } from 'vitest';
import { conferenceStep, ConferenceStateError, NO_CONFERENCE } from './conference-state';

describe('conference state machine', () => {
  it('merge → un-hold both, then mix', () => {
    expect(conferenceStep(NO_CONFERENCE, { type: 'merge', ids: ['a', 'b'] })).toEqual({ state: { members: ['a', 'b'] }, actions: ['unhold', 'mix'] });
  });

  it('a leg ends → the other call is a plain call again (un-mixed, left up)', () => {
    expect(conferenceStep({ members: ['a', 'b'] }, { type: 'leg-ended', id: 'b' })).toEqual({ state: NO_CONFERENCE, actions: ['unmix'] });
  });

  it('split → un-mix, and all but the first go on hold', () => {
    expect(conferenceStep({ members: ['a', 'b'] }, { type: 'split' })).toEqual({ state: NO_CONFERENCE, actions: ['unmix', 'hold-others'] });
  });

  it('a call outside the conference ending changes nothing', () => {
    const s = { members: ['a', 'b'] };
    expect(conferenceStep(s, { type: 'leg-ended', id: 'c' })).toEqual({ state: s, actions: [] });
  });

  it('refuses one call, a third call, and a split with no conference', () => {
    expect(() => conferenceStep(NO_CONFERENCE, { type: 'merge', ids: ['a'] })).toThrow(ConferenceStateError);
    expect(() => conferenceStep(NO_CONFERENCE, { type: 'merge', ids: ['a', 'a'] })).toThrow(/two calls/);
    expect(() => conferenceStep({ members: ['a', 'b'] }, { type: 'merge', ids: ['c'] })).toThrow(/two calls at most/);
    expect(() => conferenceStep(NO_CONFERENCE, { type: 'split' })).toThrow(/no conference/);
  });
});
