/**
 * The codecs the gateway passes through without transcoding. Names are compared case-blind with
 * their clock rate, never by payload type: the two sides number them differently (Chromium puts
 * telephone-event at 126, Firefox and most PBXs at 101).
 */
export interface Codec {
  pt: number;
  /** As written in a=rtpmap: PCMU, PCMA, telephone-event, opus. */
  name: string;
  rate: number;
  channels?: number;
  fmtp?: string;
}

/** Audio codecs both a browser and a plain SIP PBX speak, in the order offered to a PBX. */
export const PASSABLE_AUDIO = [
  { name: 'PCMU', rate: 8000 },
  { name: 'PCMA', rate: 8000 },
  { name: 'opus', rate: 48000 },
] as const;

/** The RFC 4733 event codec: it rides beside whichever audio codec was chosen, at that codec's clock. */
export const EVENT_CODEC = 'telephone-event';

/** Static payload types (RFC 3551) used when the gateway writes an offer itself. */
export const OFFER_TO_PBX: readonly Codec[] = [
  { pt: 0, name: 'PCMU', rate: 8000 },
  { pt: 8, name: 'PCMA', rate: 8000 },
  { pt: 101, name: EVENT_CODEC, rate: 8000, fmtp: '0-16' },
];

export function sameCodec(a: Pick<Codec, 'name' | 'rate'>, b: Pick<Codec, 'name' | 'rate'>): boolean {
  return a.name.toLowerCase() === b.name.toLowerCase() && a.rate === b.rate;
}

export function isPassableAudio(c: Pick<Codec, 'name' | 'rate'>): boolean {
  return PASSABLE_AUDIO.some((p) => sameCodec(p, c));
}

export function isEvent(c: Pick<Codec, 'name'>): boolean {
  return c.name.toLowerCase() === EVENT_CODEC;
}

/** What one call carries: the audio codec and, when both sides have it at that clock, RFC 4733 events. */
export interface Choice {
  audio: Codec;
  event?: Codec;
}

/**
 * The first audio codec in `preferred`'s order that `other` also has, with the event codec at its
 * clock rate; undefined when the two share no audio codec the gateway can pass (a 488).
 */
export function choose(preferred: readonly Codec[], other: readonly Codec[]): Choice | undefined {
  for (const c of preferred) {
    if (!isPassableAudio(c) || !other.some((o) => sameCodec(o, c))) continue;
    const event = preferred.find((e) => isEvent(e) && e.rate === c.rate && other.some((o) => isEvent(o) && o.rate === c.rate));
    return { audio: c, ...(event ? { event } : {}) };
  }
  return undefined;
}

/** The same choice with the other side's payload types (its numbering of the same codecs). */
export function asSeenBy(choice: Choice, side: readonly Codec[]): Choice | undefined {
  const audio = side.find((c) => sameCodec(c, choice.audio));
  if (!audio) return undefined;
  const event = choice.event ? side.find((c) => isEvent(c) && c.rate === choice.event!.rate) : undefined;
  return { audio, ...(event ? { event } : {}) };
}

/** Payload type on one side → payload type on the other, for the codecs of one call; others are dropped. */
export function ptMap(from: Choice, to: Choice): Map<number, number> {
  const map = new Map<number, number>([[from.audio.pt, to.audio.pt]]);
  if (from.event && to.event) map.set(from.event.pt, to.event.pt);
  return map;
}
