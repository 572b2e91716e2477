import type { MicLease } from './microphone';
import type { RemoteAudio } from './remote-audio';
import type { SerialQueue } from './serial-queue';
import type { RemoteAudioTap } from './remote-audio';
import type { PcEventData, PcEventType } from './snapshot';

const STATE_EVENTS = ['icegatheringstatechange', 'iceconnectionstatechange', 'connectionstatechange', 'signalingstatechange'] as const;

/** One peer connection the engine holds (engine.ts), or a spare waiting for a call (spares.ts). */
export interface PcEntry {
  /** A spare's id until a call takes it (spares.ts), then the host's pcId. */
  pcId: string;
  callId: string | undefined;
  /** A spare no call took yet: its events are for nobody. */
  spare: boolean;
  /** Was a spare: its audio transceiver waits for the microphone (addMicrophone). */
  prepared: boolean;
  readonly pc: RTCPeerConnection;
  readonly queue: SerialQueue;
  readonly audio: RemoteAudio;
  sender: RTCRtpSender | undefined;
  mic: MicLease | undefined;
  /** Wanted state of this call's microphone; kept when the mute comes before the microphone. */
  micEnabled: boolean;
  closed: boolean;
  /** The last snapshot's number; the host orders replies and events by it. */
  seq: number;
}

/** Our sender when we added the microphone; otherwise whatever audio sender negotiation created. */
export function audioSender(e: PcEntry): RTCRtpSender | undefined {
  if (e.sender) return e.sender;
  if (e.pc.signalingState === 'closed') return undefined;
  return e.pc.getTransceivers().find((t) => t.receiver.track.kind === 'audio')?.sender;
}

/** RTP received on a call's audio, from getStats (MediaEngine.inboundAudio). */
export async function inboundAudioOf(pc: RTCPeerConnection): Promise<{ packetsReceived: number; bytesReceived: number; packetsLost: number }> {
  const out = { packetsReceived: 0, bytesReceived: 0, packetsLost: 0 };
  (await pc.getStats()).forEach((s: { type?: string; kind?: string; packetsReceived?: number; bytesReceived?: number; packetsLost?: number }) => {
    if (s.type !== 'inbound-rtp' || s.kind !== 'audio') return;
    out.packetsReceived += s.packetsReceived ?? 0;
    out.bytesReceived += s.bytesReceived ?? 0;
    out.packetsLost += s.packetsLost ?? 0;
  });
  return out;
}

/** Reports a peer connection's events (`emit`), traces them (test builds) and plays its remote audio. */
export function watchPc(e: PcEntry, o: { emit(type: PcEventType, candidate?: PcEventData['candidate']): void; trace?(pcId: string, stage: string): void; tap?: RemoteAudioTap }): void {
  e.pc.addEventListener('icecandidate', (ev) => {
    const c = ev.candidate;
    o.trace?.(e.pcId, c ? `candidate ${/ typ (\w+)/.exec(c.candidate)?.[1] ?? '?'} ${c.protocol ?? ''}` : 'candidate end');
    // null is the end of gathering; JsSIP waits for it (or for iceGatheringState 'complete').
    o.emit('icecandidate', c ? { candidate: c.candidate, sdpMid: c.sdpMid, sdpMLineIndex: c.sdpMLineIndex } : null);
  });
  for (const type of STATE_EVENTS) e.pc.addEventListener(type, () => o.emit(type));
  if (o.trace) {
    e.pc.addEventListener('icegatheringstatechange', () => o.trace?.(e.pcId, `gathering ${e.pc.iceGatheringState}`));
    e.pc.addEventListener('iceconnectionstatechange', () => o.trace?.(e.pcId, `ice ${e.pc.iceConnectionState}`));
    e.pc.addEventListener('connectionstatechange', () => o.trace?.(e.pcId, `connection ${e.pc.connectionState}`));
  }
  e.pc.addEventListener('track', (ev) => {
    if (ev.track.kind !== 'audio' || e.closed) return;
    const fresh = e.audio.play(ev.track);
    if (fresh) o.tap?.attach(e.pcId, fresh);
  });
}

/**
 * The call's microphone on its peer connection. A spare's offer has the audio transceiver already
 * (sendrecv, no track): the microphone takes its sender, and the offer sent stays what it was.
 */
export async function attachMicrophone(e: PcEntry, track: MediaStreamTrack, stream: MediaStream): Promise<RTCRtpSender> {
  const waiting = e.prepared ? e.pc.getTransceivers().find((t) => t.receiver.track.kind === 'audio' && !t.sender.track) : undefined;
  if (!waiting) return e.pc.addTrack(track, stream);
  await waiting.sender.replaceTrack(track);
  waiting.sender.setStreams?.(stream);
  return waiting.sender;
}
