import type { Logger } from '../log';
import type { BridgedPeerConnection } from '../sip/bridged-peer-connection';
import { GatewayPeerConnection } from './gateway-peer-connection';
import { localAddressToward, type PortRange } from './port-range';

export interface GatewaysDeps {
  log: Logger;
  rtpPorts(): PortRange;
  /** The PBX's SIP host, when the media address is not known yet (an outgoing offer). */
  pbxHost(): string | undefined;
  /** Our offers carry SDES-SRTP (the srtpOnTls preference, on a TLS account). */
  offerSrtp(): boolean;
}

/**
 * Every live gateway of the host, so that none outlives the host: each closes itself when JsSIP
 * closes it (call ended or failed), and `closeAll` closes the rest when the host stops.
 */
export function startGateways(deps: GatewaysDeps): { create(browser: BridgedPeerConnection): GatewayPeerConnection; live(): number; closeAll(): void } {
  const live = new Set<GatewayPeerConnection>();
  return {
    create(browser) {
      const pc = new GatewayPeerConnection(
        browser,
        {
          log: deps.log,
          rtpPorts: deps.rtpPorts,
          offerSrtp: deps.offerSrtp,
          localAddress: (remote) => {
            const host = remote ?? deps.pbxHost();
            return host ? localAddressToward(host) : Promise.resolve('127.0.0.1');
          },
        },
        (closed) => live.delete(closed),
      );
      live.add(pc);
      return pc;
    },
    live: () => live.size,
    closeAll() {
      for (const pc of [...live]) pc.close();
    },
  };
}
