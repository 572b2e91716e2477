import { RTCPeerConnection, RTCRtpCodecParameters, RtpHeader, type RTCRtpTransceiver, type RtpPacket } from 'werift';
import type { Choice, Codec } from './codecs';
import { legAddress } from './leg-address';

export { legAddress } from './leg-address';

const GATHER_DEADLINE_MS = 3000;

/** werift names codecs by MIME type: audio/PCMU, audio/telephone-event. */
function params(c: Codec): RTCRtpCodecParameters {
  return new RTCRtpCodecParameters({
    mimeType: `audio/${c.name}`,
    clockRate: c.rate,
    payloadType: c.pt,
    ...(c.channels ? { channels: c.channels } : {}),
    ...(c.fmtp ? { parameters: c.fmtp } : {}),
  });
}

/** Only candidates on the leg's own address reach the browser: the WebRTC leg never leaves the machine. */
export function candidatesOn(sdp: string, address: string): string {
  return sdp
    .split(/\r\n/)
    .filter((line) => !line.startsWith('a=candidate:') || line.split(' ')[4] === address)
    .join('\r\n');
}

export interface BrowserRtp {
  pt: number;
  marker: boolean;
  seq: number;
  timestamp: number;
  ssrc: number;
  payload: Buffer;
}

/**
 * The gateway's WebRTC side (werift): it answers the browser's offer with exactly the codecs the
 * PBX side settled on (the browser's own payload types), on one local address only, terminates ICE and
 * DTLS-SRTP, and hands each decrypted RTP packet to `onRtp`. What it sends carries its own SSRC
 * (the one its SDP announces); the sequence and timestamp are the caller's.
 */
export class BrowserLeg {
  private readonly pc: RTCPeerConnection;
  private transceiver: RTCRtpTransceiver | undefined;
  private closed = false;

  private constructor(
    choice: Choice,
    private readonly address: string,
    private readonly onRtp: (rtp: BrowserRtp) => void,
    onFailed: () => void,
  ) {
    const audio = [params(choice.audio), ...(choice.event ? [params(choice.event)] : [])];
    this.pc = new RTCPeerConnection({
      codecs: { audio },
      headerExtensions: { audio: [] },
      iceUseIpv4: true,
      iceUseIpv6: false,
      iceUseTcp: false,
      iceInterfaceAddresses: { udp4: address },
      iceAdditionalHostAddresses: [address],
      iceFilterCandidatePair: (pair) => pair.localCandidate.host === address && pair.remoteCandidate.host === address,
    });
    // ICE or DTLS toward the browser gave up (consent lost, browser gone): the call has no audio.
    this.pc.connectionStateChange.subscribe((state) => {
      if (state === 'failed' && !this.closed) onFailed();
    });
    this.pc.onTrack.subscribe((track) => {
      track.onReceiveRtp.subscribe((rtp: RtpPacket) => {
        const h = rtp.header;
        this.onRtp({ pt: h.payloadType, marker: h.marker, seq: h.sequenceNumber, timestamp: h.timestamp, ssrc: h.ssrc, payload: rtp.payload });
      });
    });
  }

  /** Answers the browser's offer; resolves with the answer SDP the browser is to be given. */
  static async answer(offerSdp: string, choice: Choice, onRtp: (rtp: BrowserRtp) => void, onFailed: () => void): Promise<{ leg: BrowserLeg; answerSdp: string }> {
    const leg = new BrowserLeg(choice, legAddress(offerSdp), onRtp, onFailed);
    try {
      await leg.pc.setRemoteDescription({ type: 'offer', sdp: offerSdp });
      leg.transceiver = leg.pc.getTransceivers().find((t) => t.kind === 'audio');
      if (!leg.transceiver) throw new Error('the browser offered no audio');
      leg.transceiver.setDirection('sendrecv');
      await leg.pc.setLocalDescription(await leg.pc.createAnswer());
      await leg.gathered();
      const sdp = leg.pc.localDescription?.sdp;
      if (!sdp) throw new Error('werift made no answer');
      return { leg, answerSdp: candidatesOn(sdp, leg.address) };
    } catch (err) {
      await leg.close();
      throw err;
    }
  }

  private gathered(): Promise<void> {
    if (this.pc.iceGatheringState === 'complete') return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, GATHER_DEADLINE_MS);
      const sub = this.pc.iceGatheringStateChange.subscribe((state) => {
        if (state !== 'complete') return;
        clearTimeout(timer);
        sub.unSubscribe();
        resolve();
      });
    });
  }

  /** Whether DTLS is up (before that, media toward the browser is dropped). */
  get connected(): boolean {
    return this.transceiver?.sender.dtlsTransport?.state === 'connected';
  }

  /** Sends one packet to the browser (fire and forget: a packet that cannot go is lost, as on any network). */
  send(h: { pt: number; marker: boolean; seq: number; timestamp: number }, payload: Buffer): void {
    const sender = this.transceiver?.sender;
    if (this.closed || !sender || sender.dtlsTransport?.state !== 'connected') return;
    const header = new RtpHeader({ payloadType: h.pt, marker: h.marker, sequenceNumber: h.seq, timestamp: h.timestamp, ssrc: sender.ssrc });
    sender.dtlsTransport.sendRtp(payload, header).catch(() => undefined);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pc.close().catch(() => undefined);
  }
}
