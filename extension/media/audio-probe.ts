import { ErrorCode, ProtocolError } from '../../shared/protocol';
import type { RemoteAudioTap } from './remote-audio';

/**
 * TEST BUILDS ONLY (imported behind __TEST_BUILD__): listens to each call's remote audio with a
 * WebAudio AnalyserNode and reports how loud it is and its strongest frequency. Headless Chromium
 * reports totalAudioEnergy 0 in getStats (NOTES-ENV), so this is how the end-to-end tests prove
 * audio flowed.
 */
export interface AudioReading {
  pcId: string;
  /** Root mean square of the samples, full scale = 1. */
  rms: number;
  /** Strongest frequency above 50 Hz, interpolated between FFT bins. */
  dominantHz: number;
  sampleRate: number;
  contextState: string;
}

const FFT_SIZE = 8192; // 5.9 Hz per bin at 48 kHz: plenty to tell 440 Hz within 5 %
/** firstSound: a short window (256 samples, 5.3 ms at 48 kHz) read every few ms, and the level that counts as sound. */
const ONSET_FFT_SIZE = 256;
const ONSET_EVERY_MS = 4;
const ONSET_RMS = 0.01;

export class AudioProbe implements RemoteAudioTap {
  private ctx: AudioContext | undefined;
  private readonly taps = new Map<string, { source: MediaStreamAudioSourceNode; analyser: AnalyserNode; sink: GainNode; onset: AnalyserNode; watch: ReturnType<typeof setInterval> | undefined }>();
  private latest: string | undefined;
  /** When each call's remote audio first became louder than ONSET_RMS (ms since the epoch). */
  private readonly firstSoundAt = new Map<string, number>();

  attach(pcId: string, stream: MediaStream): void {
    this.detach(pcId);
    const ctx = (this.ctx ??= new AudioContext());
    void ctx.resume().catch(() => undefined);
    const source = ctx.createMediaStreamSource(stream);
    const analyser = ctx.createAnalyser();
    analyser.fftSize = FFT_SIZE;
    analyser.smoothingTimeConstant = 0;
    // A silent path to the destination keeps the graph pulled in every browser.
    const sink = ctx.createGain();
    sink.gain.value = 0;
    source.connect(analyser);
    analyser.connect(sink);
    sink.connect(ctx.destination);
    // The moment sound arrives (the latency bench's "audio heard"), to within a few ms: the big
    // analyser's 170 ms window and analyse()'s 50 ms steps are far too coarse for that.
    const onset = ctx.createAnalyser();
    onset.fftSize = ONSET_FFT_SIZE;
    source.connect(onset);
    const samples = new Float32Array(ONSET_FFT_SIZE);
    this.firstSoundAt.delete(pcId);
    const watch = setInterval(() => {
      onset.getFloatTimeDomainData(samples);
      if (rms(samples) <= ONSET_RMS) return;
      this.firstSoundAt.set(pcId, Date.now());
      clearInterval(watch);
    }, ONSET_EVERY_MS);
    this.taps.set(pcId, { source, analyser, sink, onset, watch });
    this.latest = pcId;
  }

  /** When the remote audio of `pcId` (or the latest call) was first heard, or 0 while it has not been. */
  firstSound(params: unknown): Promise<{ pcId: string | undefined; at: number }> {
    const pcId = (params as { pcId?: string } | undefined)?.pcId ?? this.latest;
    return Promise.resolve({ pcId, at: (pcId && this.firstSoundAt.get(pcId)) || 0 });
  }

  detach(pcId: string): void {
    const tap = this.taps.get(pcId);
    if (!tap) return;
    clearInterval(tap.watch);
    tap.source.disconnect();
    tap.onset.disconnect();
    tap.analyser.disconnect();
    tap.sink.disconnect();
    this.taps.delete(pcId);
  }

  /** Listens for `windowMs` and averages: RMS of the waveform, spectrum for the dominant tone. */
  async analyse(params: unknown): Promise<AudioReading> {
    const p = (params ?? {}) as { pcId?: string; windowMs?: number };
    const pcId = p.pcId ?? this.latest;
    const tap = pcId ? this.taps.get(pcId) : undefined;
    if (!pcId || !tap || !this.ctx) throw new ProtocolError(ErrorCode.INVALID_PARAMS, `no remote audio to analyse for ${pcId ?? 'any peer connection'}`);
    // Firefox keeps resume() pending while autoplay is blocked: report the state, never hang.
    await Promise.race([this.ctx.resume().catch(() => undefined), new Promise((r) => setTimeout(r, 500))]);
    const windowMs = Math.min(Math.max(p.windowMs ?? 500, 50), 5_000);
    const time = new Float32Array(tap.analyser.fftSize);
    const freq = new Float32Array(tap.analyser.frequencyBinCount);
    const magnitude = new Float64Array(freq.length);
    let rmsSum = 0;
    let reads = 0;
    const end = Date.now() + windowMs;
    do {
      await new Promise((r) => setTimeout(r, 50));
      tap.analyser.getFloatTimeDomainData(time);
      tap.analyser.getFloatFrequencyData(freq);
      rmsSum += rms(time);
      for (let i = 0; i < freq.length; i++) magnitude[i]! += 10 ** (freq[i]! / 20);
      reads += 1;
    } while (Date.now() < end);
    return {
      pcId,
      rms: rmsSum / reads,
      dominantHz: dominantFrequency(magnitude, this.ctx.sampleRate, tap.analyser.fftSize),
      sampleRate: this.ctx.sampleRate,
      contextState: this.ctx.state,
    };
  }
}

export function rms(samples: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += samples[i]! * samples[i]!;
  return samples.length ? Math.sqrt(sum / samples.length) : 0;
}

/** The peak bin above 50 Hz, refined by a parabola through it and its neighbours. */
export function dominantFrequency(magnitude: ArrayLike<number>, sampleRate: number, fftSize: number): number {
  const binHz = sampleRate / fftSize;
  const first = Math.max(1, Math.ceil(50 / binHz));
  let best = first;
  for (let i = first; i < magnitude.length - 1; i++) if (magnitude[i]! > magnitude[best]!) best = i;
  if (!(magnitude[best]! > 0)) return 0;
  const a = magnitude[best - 1] ?? 0;
  const b = magnitude[best]!;
  const c = magnitude[best + 1] ?? 0;
  const denominator = a - 2 * b + c;
  const shift = denominator === 0 ? 0 : (0.5 * (a - c)) / denominator;
  return (best + shift) * binHz;
}
