import * as z from 'zod';
import { defineEvent, defineMethod } from './define';

/**
 * The media bridge (DESIGN section 2): JsSIP in the host drives a real RTCPeerConnection in the
 * browser (offscreen document in Chrome, background page in Firefox). These are requests from the
 * host to the extension; the extension answers each with a snapshot of the peer connection's state,
 * which the host mirrors before resolving, so JsSIP always reads current values.
 */
export const pcIdSchema = z.lazy(() => z.string().regex(/^pc-[0-9]{1,12}$/));
/**
 * A peer connection the engine prepared ahead for the next outgoing call (issue 19): its offer is
 * made and its candidates gathered before anyone clicks. Named by the engine, not the host.
 */
export const spareIdSchema = z.lazy(() => z.string().regex(/^spare-[0-9]{1,12}$/));

const sessionDescription = z.lazy(() => z.object({ type: z.enum(['offer', 'answer', 'pranswer', 'rollback']), sdp: z.string().max(64 * 1024) }));

export const pcSnapshotSchema = z.lazy(() => z.object({
  signalingState: z.string(),
  iceGatheringState: z.string(),
  iceConnectionState: z.string(),
  connectionState: z.string(),
  localDescription: sessionDescription.nullable(),
  remoteDescription: sessionDescription.nullable(),
  /** The audio sender's DTMF tone buffer; JsSIP concatenates onto it. */
  toneBuffer: z.string(),
  /**
   * When the browser took it: counts up per peer connection across replies and events. Replies and
   * events travel different paths and a busy host reads several in one go, so they may arrive out of
   * order; the host's mirror applies a snapshot only when it is newer than the one it shows. Absent
   * on states the host or the background make up (a lost peer connection), which always apply.
   */
  seq: z.number().int().nonnegative().optional(),
}));
export type PcSnapshot = z.infer<typeof pcSnapshotSchema>;

/** A new peer connection's state, with any fields overridden: one definition for both sides and tests. */
export function pcSnapshot(over: Partial<PcSnapshot> = {}): PcSnapshot {
  return {
    signalingState: 'stable',
    iceGatheringState: 'new',
    iceConnectionState: 'new',
    connectionState: 'new',
    localDescription: null,
    remoteDescription: null,
    toneBuffer: '',
    ...over,
  };
}

/**
 * Whether `next` shows a later state than `current`: the one ordering rule for every mirror of a
 * peer connection. A made-up state (no seq) always wins; a browser snapshot wins when newer.
 */
export function supersedes(next: PcSnapshot, current: PcSnapshot | undefined): boolean {
  return next.seq === undefined || current?.seq === undefined || next.seq > current.seq;
}

const snapshotResult = z.lazy(() => z.object({ snapshot: pcSnapshotSchema }));

export const iceServerSchema = z.lazy(() => z.object({
  urls: z.union([z.string(), z.array(z.string())]),
  username: z.string().optional(),
  credential: z.string().optional(),
}));

export const pcCreate = defineMethod({
  method: 'media.pc.create',
  direction: 'to-extension',
  since: 1,
  /**
   * spare: take over that prepared peer connection (a `prepared` event announced it) under pcId
   * instead of making a new one: its offer is already the local description, so the host sent it
   * without asking. Refused only when the engine no longer has it (its document was replaced).
   */
  params: () => z.object({ pcId: pcIdSchema, iceServers: z.array(iceServerSchema).max(8), callId: z.string().max(128).optional(), spare: spareIdSchema.optional() }),
  result: () => snapshotResult,
});

export const pcCreateOffer = defineMethod({
  method: 'media.pc.createOffer',
  direction: 'to-extension',
  since: 1,
  /**
   * setLocal: set the offer as the local description too, in the same request (JsSIP always does
   * next): one round trip less before the INVITE, and ICE gathering starts sooner.
   */
  params: () => z.object({ pcId: pcIdSchema, iceRestart: z.boolean().optional(), setLocal: z.boolean().optional() }),
  result: () => z.object({ description: sessionDescription, snapshot: pcSnapshotSchema }),
});

export const pcCreateAnswer = defineMethod({
  method: 'media.pc.createAnswer',
  direction: 'to-extension',
  since: 1,
  /** setLocal: as for createOffer. */
  params: () => z.object({ pcId: pcIdSchema, setLocal: z.boolean().optional() }),
  result: () => z.object({ description: sessionDescription, snapshot: pcSnapshotSchema }),
});

export const pcSetLocal = defineMethod({
  method: 'media.pc.setLocalDescription',
  direction: 'to-extension',
  since: 1,
  params: () => z.object({ pcId: pcIdSchema, description: sessionDescription }),
  result: () => snapshotResult,
});

export const pcSetRemote = defineMethod({
  method: 'media.pc.setRemoteDescription',
  direction: 'to-extension',
  since: 1,
  /**
   * answer: for a remote offer, also create the answer and set it as local (JsSIP always does both
   * next): two round trips less before the 200 OK. The answer comes back in `answer`.
   */
  params: () => z.object({ pcId: pcIdSchema, description: sessionDescription, answer: z.boolean().optional() }),
  result: () => z.object({ snapshot: pcSnapshotSchema, answer: sessionDescription.optional() }),
});

/** Adds the microphone (a clone per peer connection, so mute is per call). */
export const pcAddMicrophone = defineMethod({
  method: 'media.pc.addMicrophone',
  direction: 'to-extension',
  since: 1,
  params: () => z.object({ pcId: pcIdSchema }),
  result: () => snapshotResult,
});

export const pcSetMicEnabled = defineMethod({
  method: 'media.pc.setMicEnabled',
  direction: 'to-extension',
  since: 1,
  params: () => z.object({ pcId: pcIdSchema, enabled: z.boolean() }),
  result: () => snapshotResult,
});

/**
 * Queues `tones` after the tones the sender has not started yet (unlike RTCDTMFSender.insertDTMF,
 * which replaces them): keys pressed while one sounds are each sent once, whatever the timing.
 */
export const pcInsertDtmf = defineMethod({
  method: 'media.pc.insertDtmf',
  direction: 'to-extension',
  since: 1,
  params: () => z.object({ pcId: pcIdSchema, tones: z.string().max(64), duration: z.number().int().min(40).max(6000), gap: z.number().int().min(30).max(6000) }),
  result: () => snapshotResult,
});

export const pcClose = defineMethod({
  method: 'media.pc.close',
  direction: 'to-extension',
  since: 1,
  params: () => z.object({ pcId: pcIdSchema }),
  result: () => z.object({}),
});

/**
 * Sent by the host when a browser attaches: the peer connections it still owns. The engine closes
 * every other one (left by a host that died), and keeps these (a worker restart, DESIGN section 2).
 */
export const retain = defineMethod({
  method: 'media.retain',
  direction: 'to-extension',
  since: 1,
  params: () => z.object({ pcIds: z.array(pcIdSchema).max(64) }),
  result: () => z.object({ closed: z.number().int(), kept: z.number().int() }),
});

/** Ringtone for incoming calls, on the ringer device. */
export const ring = defineMethod({
  method: 'media.ring',
  direction: 'to-extension',
  since: 1,
  params: () => z.object({ on: z.boolean() }),
  result: () => z.object({}),
});

/**
 * 3-way conference (issue 17): mix these calls in the browser with WebAudio, so each far end hears
 * the user and the other far ends; fewer than two un-mixes every call (each sends the microphone
 * again). `mixed`: how many calls the mix now joins.
 */
export const conference = defineMethod({
  method: 'media.conference',
  direction: 'to-extension',
  since: 2,
  params: () => z.strictObject({ pcIds: z.array(pcIdSchema).max(8) }),
  result: () => z.object({ mixed: z.number().int().nonnegative() }),
});

/**
 * Peer-connection events, extension → host (a push), each with a fresh snapshot. Two are about a
 * spare (pcId a spareIdSchema), not a call's peer connection: `prepared` (its offer is ready:
 * the snapshot's local description, made with `iceServers`) and `withdrawn` (do not claim it any
 * more; the engine still honours a claim already on its way for a while).
 */
export const pcEvent = defineEvent({
  event: 'media.pc',
  direction: 'to-host',
  since: 1,
  data: () => z.object({
    pcId: z.union([pcIdSchema, spareIdSchema]),
    type: z.enum(['icecandidate', 'icegatheringstatechange', 'iceconnectionstatechange', 'connectionstatechange', 'signalingstatechange', 'closed', 'prepared', 'withdrawn']),
    /** For icecandidate; null marks the end of gathering. */
    candidate: z.object({ candidate: z.string(), sdpMid: z.string().nullable(), sdpMLineIndex: z.number().nullable() }).nullable().optional(),
    /** For prepared: the ICE servers the spare was made with; a call with others does not take it. */
    iceServers: z.array(iceServerSchema).max(8).optional(),
    snapshot: pcSnapshotSchema,
  }),
});
