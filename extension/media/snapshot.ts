import type * as z from 'zod';
import type { media, PcSnapshot } from '../../shared/protocol';

/** What the host receives with every reply and event: the state its mirror must show. */
export function takeSnapshot(pc: RTCPeerConnection, sender: RTCRtpSender | undefined, seq: number): PcSnapshot {
  return {
    seq,
    signalingState: pc.signalingState,
    iceGatheringState: pc.iceGatheringState,
    iceConnectionState: pc.iceConnectionState,
    // Older Firefox releases had no connectionState; the ICE state is the nearest stand-in.
    connectionState: pc.connectionState ?? pc.iceConnectionState,
    localDescription: description(() => pc.localDescription),
    remoteDescription: description(() => pc.remoteDescription),
    toneBuffer: toneBuffer(sender),
  };
}

/** Firefox throws InvalidStateError from `sender.dtmf` once the peer connection is closed. */
function toneBuffer(sender: RTCRtpSender | undefined): string {
  try {
    return sender?.dtmf?.toneBuffer ?? '';
  } catch {
    return '';
  }
}

/** Firefox throws InvalidStateError from the descriptions once the peer connection is closed. */
function description(read: () => RTCSessionDescription | null): PcSnapshot['localDescription'] {
  try {
    const d = read();
    return d ? { type: d.type, sdp: d.sdp } : null;
  } catch {
    return null;
  }
}

/**
 * The snapshot of a peer connection that vanished with its document (Chrome closed the offscreen
 * page): the host's mirror must read "closed" so JsSIP ends the call instead of waiting.
 */
export function closedSnapshot(last: PcSnapshot | undefined): PcSnapshot {
  return {
    signalingState: 'closed',
    iceGatheringState: last?.iceGatheringState ?? 'complete',
    iceConnectionState: 'closed',
    connectionState: 'closed',
    localDescription: last?.localDescription ?? null,
    remoteDescription: last?.remoteDescription ?? null,
    toneBuffer: '',
  };
}

export type PcEventData = z.output<typeof media.pcEvent.data>;
export type PcEventType = PcEventData['type'];
