import { asSeenBy, choose, isEvent, isPassableAudio, OFFER_TO_PBX, ptMap, sameCodec, type Choice, type Codec } from './codecs';
import type { Direction, PlainMedia } from './plain-sdp';
import type { Route } from './relay';

/** The call's media cannot be bridged; `noCodec` when the two sides share no codec (SIP 488). */
export class NegotiationError extends Error {
  constructor(
    message: string,
    readonly noCodec: boolean,
  ) {
    super(message);
    this.name = 'NegotiationError';
  }
}

/** What the gateway offers a PBX for a browser with these codecs: G.711 both laws and events, in RFC 3551 numbering. */
export function offerForPbx(browser: readonly Codec[]): Codec[] {
  const offered = OFFER_TO_PBX.filter((c) => browser.some((b) => (isEvent(c) ? isEvent(b) && b.rate === c.rate : sameCodec(b, c))));
  if (!offered.some((c) => !isEvent(c))) throw new NegotiationError('the browser offers neither PCMU nor PCMA', true);
  return offered;
}

/** The PBX's answer to our offer: the first codec of its answer that we offered. */
export function chooseFromAnswer(answer: PlainMedia, offered: readonly Codec[]): Choice {
  const choice = choose(answer.codecs, offered);
  if (!choice) throw new NegotiationError('the PBX answered with no codec that was offered', true);
  return choice;
}

/** For a PBX's offer: its first codec (its preference) the browser also has. */
export function chooseForOffer(offer: PlainMedia, browser: readonly Codec[]): Choice {
  const choice = choose(offer.codecs, browser);
  if (!choice) {
    const names = [...new Set(offer.codecs.map((c) => c.name))].join(', ') || 'none';
    throw new NegotiationError(`the PBX offered ${names.slice(0, 120)}; the browser can take PCMU, PCMA or Opus`, true);
  }
  return choice;
}

/** Whether the PBX's offer has anything the gateway could pass (checked before ringing). */
export function offerIsPlayable(offer: PlainMedia): boolean {
  return offer.codecs.some(isPassableAudio);
}

/**
 * Which ways audio flows for the PBX's latest direction. Our own SDP is always sendrecv when
 * written (JsSIP puts hold into the text after), so the PBX's side tells: its answer recvonly or
 * inactive means we hold, and then nothing flows either way (no music on hold of ours, and the
 * microphone is not heard by a held party); its sendonly means it holds us (its music plays).
 */
export function openWays(remote: Direction, remoteOffered: boolean): { toBrowserOpen: boolean; toPbxOpen: boolean } {
  return {
    toBrowserOpen: remote === 'sendrecv' || remote === 'sendonly',
    toPbxOpen: remote === 'sendrecv' || (remote === 'recvonly' && remoteOffered),
  };
}

/**
 * The relay's route for a call: the PBX's numbering (`pbx`, from its SDP, and `ours`, what we
 * wrote to it) against the browser's.
 */
export function routeFor(pbx: Choice, ours: Choice, browser: Choice, remote: Direction, remoteOffered: boolean): Route {
  const fromPbx = ptMap(pbx, browser);
  // RFC 3264 lets each side receive on the numbers it wrote: accept ours too.
  for (const [k, v] of ptMap(ours, browser)) fromPbx.set(k, v);
  return {
    fromPbx,
    toPbx: ptMap(browser, pbx),
    ...openWays(remote, remoteOffered),
    frameTicks: Math.round(pbx.audio.rate / 50),
  };
}

export { asSeenBy };
