import { ErrorCode, ProtocolError } from '../../shared/protocol';

/** One call in the mix: what it hears from its far end, what the user says into it, and where that goes. */
export interface MixLeg {
  pcId: string;
  remote(): MediaStreamTrack | undefined;
  /** This call's microphone (its own clone, so mute stays per call). */
  mic(): MediaStreamTrack | undefined;
  sender(): RTCRtpSender | undefined;
}

export interface MixerDeps {
  createAudioContext(): AudioContext;
  createMediaStream(tracks: MediaStreamTrack[]): MediaStream;
  log(message: string, err?: unknown): void;
}

const RESUME_WAIT_MS = 1000;

interface Wired {
  leg: MixLeg;
  nodes: AudioNode[];
  out: MediaStreamTrack;
}

/**
 * The 3-way conference in the browser's media engine (issue 17): for each call a WebAudio
 * destination fed with the user's microphone and every other call's far end, sent in place of the
 * microphone (RTCRtpSender.replaceTrack: no renegotiation, no SDP change). The user already hears
 * every far end through each call's own audio element. Un-mixing puts each call's microphone back.
 */
export class ConferenceMixer {
  private ctx: AudioContext | undefined;
  private wired = new Map<string, Wired>();

  constructor(private readonly deps: MixerDeps) {}

  /** The mix's AudioContext state (diagnostics): 'running' when the mix is heard. */
  get contextState(): string {
    return this.ctx?.state ?? 'none';
  }

  get pcIds(): string[] {
    return [...this.wired.keys()];
  }

  /** Mixes exactly these calls (fewer than two: none); resolves with how many are mixed. */
  async set(legs: MixLeg[]): Promise<number> {
    await this.clear();
    if (legs.length < 2) return 0;
    const ctx = (this.ctx ??= this.deps.createAudioContext());
    // The offscreen document may start its context suspended; its AUDIO_PLAYBACK reason allows
    // resuming. A browser with no audio output may never resume it (headless Firefox here): the
    // merge must not hang on that, so wait a moment and go on (the mix is then silent, and logged).
    const resumed = await Promise.race([
      ctx.resume().then(
        () => true,
        (err: unknown) => (this.deps.log('conference audio context does not resume', err), false),
      ),
      new Promise<boolean>((r) => setTimeout(() => r(false), RESUME_WAIT_MS)),
    ]);
    // A suspended context mixes silence: the far ends would lose the user. Refuse, change nothing.
    if (!resumed && ctx.state !== 'running') {
      this.deps.log(`conference audio context is ${ctx.state}: no mix`);
      throw new ProtocolError(ErrorCode.CONFERENCE_UNAVAILABLE, `the browser's audio engine is not running (${ctx.state}): the calls cannot be mixed`);
    }
    const source = (track: MediaStreamTrack | undefined) => (track ? ctx.createMediaStreamSource(this.deps.createMediaStream([track])) : undefined);
    const sources = legs.map((leg) => ({ leg, remote: source(leg.remote()), mic: source(leg.mic()) }));
    for (const { leg, mic } of sources) {
      const dest = ctx.createMediaStreamDestination();
      const nodes: AudioNode[] = [dest];
      if (mic) {
        mic.connect(dest);
        nodes.push(mic);
      }
      for (const other of sources) {
        if (other.leg !== leg && other.remote) other.remote.connect(dest);
      }
      const out = dest.stream.getAudioTracks()[0]!;
      this.wired.set(leg.pcId, { leg, nodes, out });
    }
    for (const s of sources) if (s.remote) this.wired.get(s.leg.pcId)!.nodes.push(s.remote);
    await Promise.all([...this.wired.values()].map((w) => this.send(w.leg, w.out)));
    return this.wired.size;
  }

  /** A call left (closed): the rest stay mixed if two or more remain. */
  async remove(pcId: string): Promise<number> {
    if (!this.wired.has(pcId)) return this.wired.size;
    const rest = [...this.wired.values()].filter((w) => w.leg.pcId !== pcId).map((w) => w.leg);
    this.wired.get(pcId)!.out.stop();
    this.wired.delete(pcId);
    return this.set(rest);
  }

  async clear(): Promise<void> {
    const old = [...this.wired.values()];
    this.wired = new Map();
    for (const w of old) {
      for (const n of w.nodes) n.disconnect();
      w.out.stop();
    }
    await Promise.all(old.map((w) => this.send(w.leg, w.leg.mic() ?? null)));
  }

  private async send(leg: MixLeg, track: MediaStreamTrack | null): Promise<void> {
    try {
      await leg.sender()?.replaceTrack(track);
    } catch (err) {
      this.deps.log(`conference: cannot switch what ${leg.pcId} sends`, err);
    }
  }
}
