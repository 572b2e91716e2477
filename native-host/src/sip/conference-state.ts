/**
 * The 3-way conference as an explicit state machine (issue 17): merge → a leg ends → split.
 * `members` are call ids; the driver (conference.ts) carries out the actions in order.
 */
export interface ConferenceState {
  members: string[];
}

export type ConferenceEvent = { type: 'merge'; ids: string[] } | { type: 'leg-ended'; id: string } | { type: 'split' };

/** unhold: take every member off hold; mix: mix the members in the browser; unmix: each call sends the microphone again; hold-others: all but the first back on hold. */
export type ConferenceAction = 'unhold' | 'mix' | 'unmix' | 'hold-others';

export class ConferenceStateError extends Error {}

export const NO_CONFERENCE: ConferenceState = { members: [] };

export function conferenceStep(s: ConferenceState, e: ConferenceEvent): { state: ConferenceState; actions: ConferenceAction[] } {
  switch (e.type) {
    case 'merge': {
      const ids = [...new Set([...s.members, ...e.ids])];
      if (ids.length < 2) throw new ConferenceStateError('a conference needs two calls');
      if (ids.length > 2) throw new ConferenceStateError('a 3-way conference joins two calls at most');
      return { state: { members: ids }, actions: ['unhold', 'mix'] };
    }
    case 'leg-ended': {
      if (!s.members.includes(e.id)) return { state: s, actions: [] };
      const members = s.members.filter((m) => m !== e.id);
      // One call left is a plain call again: it sends the microphone, and stays up.
      return members.length < 2 ? { state: NO_CONFERENCE, actions: ['unmix'] } : { state: { members }, actions: ['mix'] };
    }
    case 'split':
      if (s.members.length === 0) throw new ConferenceStateError('there is no conference to split');
      return { state: NO_CONFERENCE, actions: ['unmix', 'hold-others'] };
  }
}
