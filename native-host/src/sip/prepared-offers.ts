import type { PcSnapshot } from '../../../shared/protocol/media';
import type { PcEvent } from './media-bridge';

type IceServer = { urls: string | string[]; username?: string; credential?: string };

/** A spare the browser's engine prepared (extension/media/spares.ts): its offer, ready to send. */
export interface PreparedOffer {
  spareId: string;
  /** The local description the spare has: what the INVITE carries, unchanged. */
  description: { type: 'offer'; sdp: string };
  snapshot: PcSnapshot;
  iceServers: IceServer[];
}

/**
 * The spares the engine announced (`media.pc` events `prepared` and `withdrawn`), for the next
 * outgoing call to take without a round trip to the browser: each is taken once at most, only by a
 * call with the same ICE servers, and only if its gathering is complete (then JsSIP sends at once).
 */
export class PreparedOffers {
  private readonly offers = new Map<string, PreparedOffer>();

  /** Takes in a spare's event; false for any other event (a call's peer connection's). */
  accept(e: PcEvent): boolean {
    if (e.type === 'withdrawn') {
      this.offers.delete(e.pcId);
      return true;
    }
    if (e.type !== 'prepared') return false;
    const local = e.snapshot.localDescription;
    // Anything else is not an offer JsSIP could send as it is: never taken.
    if (local?.type === 'offer' && e.snapshot.signalingState === 'have-local-offer' && e.snapshot.iceGatheringState === 'complete') {
      this.offers.set(e.pcId, { spareId: e.pcId, description: { type: 'offer', sdp: local.sdp }, snapshot: e.snapshot, iceServers: e.iceServers ?? [] });
    }
    return true;
  }

  /** The newest spare made with these ICE servers, removed (never used twice); undefined if none. */
  take(iceServers: IceServer[]): PreparedOffer | undefined {
    const wanted = JSON.stringify(iceServers.map(normalise));
    const match = [...this.offers.values()].reverse().find((o) => JSON.stringify(o.iceServers.map(normalise)) === wanted);
    if (match) this.offers.delete(match.spareId);
    return match;
  }

  /** Another browser (or none): the spares announced so far are not its. */
  clear(): void {
    this.offers.clear();
  }

  get size(): number {
    return this.offers.size;
  }
}

function normalise(s: IceServer): IceServer {
  return { urls: s.urls, ...(s.username ? { username: s.username } : {}), ...(s.credential ? { credential: s.credential } : {}) };
}
