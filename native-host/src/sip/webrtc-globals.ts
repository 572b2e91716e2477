import type { BridgedPeerConnection } from './bridged-peer-connection';

/**
 * What JsSIP passes on from a call's pcConfig. `outgoingOffer`: set by the call manager on a
 * call it places, whose first offer a spare the browser prepared may be (prepared-offers.ts).
 */
export type PcConfig = ConstructorParameters<typeof BridgedPeerConnection>[1] & { outgoingOffer?: boolean };

/** Whatever JsSIP is to hold: a bridged browser peer connection, or the media gateway around one. */
type PcFactory = (config: PcConfig | undefined) => object;

/**
 * JsSIP constructs `new RTCPeerConnection(...)` and `new RTCSessionDescription(...)` from globals
 * and checks `window.RTCPeerConnection` before accepting an INVITE. Node has neither; these
 * stand-ins route every construction to the current bridge. `window` is a minimal object, not
 * globalThis, so libraries that sniff for a browser are not fooled.
 */
export function installWebRtcGlobals(factory: PcFactory): void {
  function RTCPeerConnection(this: unknown, config?: Parameters<PcFactory>[0]) {
    return factory(config);
  }
  class RTCSessionDescription {
    readonly type: string;
    readonly sdp: string;
    constructor(init: { type: string; sdp: string }) {
      this.type = init.type;
      this.sdp = init.sdp;
    }
    toJSON() {
      return { type: this.type, sdp: this.sdp };
    }
  }
  const g = globalThis as Record<string, unknown>;
  g.RTCPeerConnection = RTCPeerConnection;
  g.RTCSessionDescription = RTCSessionDescription;
  const win = (g.window ?? {}) as Record<string, unknown>;
  win.RTCPeerConnection = RTCPeerConnection;
  g.window = win;
}
