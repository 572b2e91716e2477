/**
 * The microphone, shared by every call. getUserMedia runs once while calls are up; each peer
 * connection gets its own clone of the track, so muting one call (the clone's `enabled`) leaves the
 * others alone. When the last call ends the source is stopped: the browser's "microphone in use"
 * indicator must not stay on between calls.
 */
export interface MicLease {
  /** This call's clone; replaced (through `onReplace`) when the user picks another device. */
  readonly track: MediaStreamTrack;
  release(): void;
}

export interface MicrophoneDeps {
  getUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream>;
  log(message: string, err?: unknown): void;
}

export class Microphone {
  private deviceId = '';
  private source: Promise<MediaStreamTrack> | undefined;
  private readonly leases = new Set<Lease>();
  /** acquire() calls still waiting for the source; the source must not be stopped under them. */
  private waiting = 0;
  /**
   * Reasons to keep the source open with no call on it (issue 19: getUserMedia took ~12 ms of
   * every call's start): a call about to be made (the popup is in use) until its timer ends, a
   * call ringing until it stops. Each keeps it only for a while, so the browser's "microphone in
   * use" indicator goes off soon after.
   */
  private readonly holds = new Map<string, ReturnType<typeof setTimeout> | undefined>();

  /** How many times a source was opened; tests check that calls share one. */
  opened = 0;

  constructor(private readonly deps: MicrophoneDeps) {}

  get active(): boolean {
    return this.source !== undefined;
  }

  async acquire(onReplace: (next: MediaStreamTrack) => Promise<void>): Promise<MicLease> {
    this.waiting += 1;
    try {
      const source = await this.sourceTrack();
      const lease = new Lease(source.clone(), onReplace, (l) => this.drop(l));
      this.leases.add(lease);
      return lease;
    } finally {
      this.waiting -= 1;
      this.stopIfIdle();
    }
  }

  /** A new device applies to live calls too (replaceTrack: no renegotiation, no gap worth noting). */
  async setDevice(deviceId: string): Promise<void> {
    if (deviceId === this.deviceId) return;
    this.deviceId = deviceId;
    if (!this.source || this.leases.size === 0) return;
    const old = this.source;
    let track: MediaStreamTrack;
    try {
      track = await this.open(deviceId);
    } catch (err) {
      this.deps.log('cannot switch the microphone; the calls keep the previous one', err);
      return;
    }
    this.source = Promise.resolve(track);
    for (const lease of [...this.leases]) {
      try {
        await lease.switchTo(track.clone());
      } catch (err) {
        this.deps.log('a call could not switch to the new microphone', err);
      }
    }
    void old.then((t) => t.stop(), () => undefined);
    this.stopIfIdle();
  }

  /**
   * Opens the source ahead of a call and keeps it open for `ms` (renewed by each hold of the same
   * reason), or until `release(reason)` when no time is given. A refusal here is only logged: the
   * call itself asks again and reports it.
   */
  hold(reason: string, ms?: number): Promise<void> {
    const previous = this.holds.get(reason);
    if (previous !== undefined) clearTimeout(previous);
    this.holds.set(reason, ms === undefined ? undefined : setTimeout(() => this.release(reason), ms));
    return this.sourceTrack().then(
      () => undefined,
      (err: unknown) => {
        this.deps.log('cannot open the microphone ahead of a call', err);
        this.release(reason);
      },
    );
  }

  /** Ends a hold; the source stops if no call and no other hold needs it. */
  release(reason: string): void {
    if (!this.holds.has(reason)) return;
    const timer = this.holds.get(reason);
    if (timer !== undefined) clearTimeout(timer);
    this.holds.delete(reason);
    this.stopIfIdle();
  }

  /** Stops everything at once (the host went away). */
  stop(): void {
    for (const reason of [...this.holds.keys()]) this.release(reason);
    for (const lease of [...this.leases]) lease.release();
    this.stopIfIdle();
  }

  private sourceTrack(): Promise<MediaStreamTrack> {
    if (!this.source) {
      const opening = this.open(this.deviceId);
      this.source = opening;
      opening.catch(() => {
        if (this.source === opening) this.source = undefined;
      });
    }
    return this.source;
  }

  private async open(deviceId: string): Promise<MediaStreamTrack> {
    let stream: MediaStream;
    try {
      stream = await this.deps.getUserMedia(constraints(deviceId));
    } catch (err) {
      // The chosen device was unplugged since the user picked it: the default one beats a failed call.
      if (!deviceId || !isDeviceMissing(err)) throw err;
      this.deps.log(`microphone ${deviceId} is gone; using the default one`, err);
      stream = await this.deps.getUserMedia(constraints(''));
    }
    const [track, ...rest] = stream.getAudioTracks();
    for (const t of [...rest, ...stream.getVideoTracks()]) t.stop();
    if (!track) throw new Error('getUserMedia returned no audio track');
    this.opened += 1;
    // Unplugged mid-call: the next call must ask again rather than clone a dead track.
    track.addEventListener('ended', () => {
      void this.source?.then(
        (t) => {
          if (t === track) this.source = undefined;
        },
        () => undefined,
      );
    });
    return track;
  }

  private drop(lease: Lease): void {
    this.leases.delete(lease);
    this.stopIfIdle();
  }

  private stopIfIdle(): void {
    if (this.leases.size > 0 || this.waiting > 0 || this.holds.size > 0 || !this.source) return;
    const source = this.source;
    this.source = undefined;
    void source.then((t) => t.stop(), () => undefined);
  }
}

class Lease implements MicLease {
  private released = false;

  constructor(
    public track: MediaStreamTrack,
    private readonly onReplace: (next: MediaStreamTrack) => Promise<void>,
    private readonly onRelease: (lease: Lease) => void,
  ) {}

  async switchTo(next: MediaStreamTrack): Promise<void> {
    next.enabled = this.track.enabled;
    try {
      if (this.released) throw new Error('released');
      await this.onReplace(next);
    } catch (err) {
      next.stop();
      if (this.released) return;
      throw err;
    }
    const old = this.track;
    this.track = next;
    old.stop();
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.track.stop();
    this.onRelease(this);
  }
}

function constraints(deviceId: string): MediaStreamConstraints {
  return {
    audio: {
      ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
      echoCancellation: true,
      noiseSuppression: true,
      autoGainControl: true,
    },
    video: false,
  };
}

function isDeviceMissing(err: unknown): boolean {
  const name = (err as { name?: string } | null)?.name;
  return name === 'OverconstrainedError' || name === 'NotFoundError';
}
