import { applySink } from './audio-output';

/** Something that also listens to a call's remote audio (the test build's analyser). */
export interface RemoteAudioTap {
  attach(pcId: string, stream: MediaStream): void;
  detach(pcId: string): void;
}

/**
 * Plays one call's remote audio on the speaker device. The stream is our own
 * `new MediaStream([track])`, never `event.streams[0]`: Chromium drops the track from that stream
 * while the call is on hold and it stays silent after the resume (NOTES-ENV, "The media bridge").
 */
export class RemoteAudio {
  private track: MediaStreamTrack | undefined;
  private sinkId = '';

  constructor(
    private readonly el: HTMLAudioElement,
    private readonly createStream: (tracks: MediaStreamTrack[]) => MediaStream,
    private readonly log: (message: string, err?: unknown) => void,
  ) {
    el.autoplay = true;
  }

  /** The far end's track now playing, for the conference mix. */
  get current(): MediaStreamTrack | undefined {
    return this.track;
  }

  get element(): HTMLAudioElement {
    return this.el;
  }

  /** Starts (or restarts, after a hold) playback; returns the stream when the track is new. */
  play(track: MediaStreamTrack): MediaStream | undefined {
    let fresh: MediaStream | undefined;
    if (track !== this.track) {
      this.track = track;
      fresh = this.createStream([track]);
      this.el.srcObject = fresh;
    }
    void applySink(this.el, this.sinkId, this.log).then(() => this.el.play()).catch((err: unknown) => this.log('remote audio does not play', err));
    return fresh;
  }

  setSink(sinkId: string): Promise<void> {
    this.sinkId = sinkId;
    return applySink(this.el, sinkId, this.log);
  }

  stop(): void {
    this.el.pause();
    this.el.srcObject = null;
    this.track = undefined;
  }
}
