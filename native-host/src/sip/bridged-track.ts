/** What JsSIP holds for the microphone: the real track lives in the browser (bridged-peer-connection.ts). */

/** The placeholder microphone track JsSIP holds; `enabled` (mute) reaches the browser's clone. */
export class BridgedTrack {
  readonly kind = 'audio';
  readonly id: string;
  private on = true;
  private sink: ((enabled: boolean) => void) | undefined;

  constructor(id: string) {
    this.id = id;
  }

  get enabled(): boolean {
    return this.on;
  }

  set enabled(value: boolean) {
    this.on = value;
    this.sink?.(value);
  }

  bind(sink: (enabled: boolean) => void): void {
    this.sink = sink;
  }

  stop(): void {
    // The real track lives in the browser and is stopped when its peer connection closes.
  }
}

/** A stand-in MediaStream: JsSIP only enumerates its tracks. */
export function placeholderStream(id: string): { getTracks(): BridgedTrack[]; getAudioTracks(): BridgedTrack[]; getVideoTracks(): never[]; removeTrack(): void } {
  const track = new BridgedTrack(id);
  return { getTracks: () => [track], getAudioTracks: () => [track], getVideoTracks: () => [], removeTrack: () => undefined };
}
