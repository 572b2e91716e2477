import { AudioProbe } from './audio-probe';
import { MediaEngine, type MediaEngineDeps } from './engine';
import type { RemoteAudioTap } from './remote-audio';
import type { ExtraCalls } from './engine-dispatch';
import type { PcEventData } from './snapshot';

declare const __TEST_BUILD__: boolean;

/**
 * The engine on the real browser, as the offscreen document (Chrome) and the background page
 * (Firefox) run it. Test builds add an analyser on the remote audio and two engine calls for the
 * end-to-end tests; in production builds __TEST_BUILD__ is false, the branch is dropped and the
 * probe is not in the bundle (tests/e2e/media-engine.e2e.ts checks the built files).
 */
export function createBrowserEngine(onEvent: (data: PcEventData) => void): { engine: MediaEngine; extra: ExtraCalls } {
  if (__TEST_BUILD__) {
    const probe = new AudioProbe();
    // The per-stage trace the latency benches read (bounded: a long test run must not grow it forever).
    const trace: { pcId: string; stage: string; at: number }[] = [];
    const engine = new MediaEngine({
      ...browserEngineDeps(onEvent, probe),
      trace: (pcId, stage) => {
        trace.push({ pcId, stage, at: performance.timeOrigin + performance.now() });
        if (trace.length > 2000) trace.splice(0, 1000);
      },
    });
    return {
      engine,
      extra: {
        'test.analyse': (params) => probe.analyse(params),
        'test.firstSound': (params) => probe.firstSound(params),
        'test.state': () => Promise.resolve(engine.state()),
        'test.trace': () => Promise.resolve(trace.slice()),
        'test.inbound': (params) => engine.inboundAudio(String((params as { pcId?: unknown } | undefined)?.pcId)),
      },
    };
  }
  return { engine: new MediaEngine(browserEngineDeps(onEvent)), extra: {} };
}

/** The real browser, for the offscreen document (Chrome) and the background page (Firefox). */
function browserEngineDeps(onEvent: (data: PcEventData) => void, tap?: RemoteAudioTap): MediaEngineDeps {
  return {
    createPeerConnection: (config) => new RTCPeerConnection(config),
    generateCertificate: () => RTCPeerConnection.generateCertificate({ name: 'ECDSA', namedCurve: 'P-256' } as EcKeyGenParams),
    getUserMedia: (constraints) => navigator.mediaDevices.getUserMedia(constraints),
    createMediaStream: (tracks) => new MediaStream(tracks),
    createAudioElement: () => new Audio(),
    createObjectUrl: (blob) => URL.createObjectURL(blob),
    createAudioContext: () => new AudioContext(),
    onEvent,
    log: (message, err) => console.warn(`[voispeed media] ${message}`, err ?? ''),
    ...(tap ? { tap } : {}),
  };
}
