import { ErrorCode, ProtocolError, type MediaMethodName } from '../../shared/protocol';
import { parseDevicePrefs } from './device-prefs';
import type { MediaEngine, MediaParams, MediaResult } from './engine';

/**
 * Engine calls besides the host's: the background's own (after the host disconnects; the user's
 * device choice) and, in test builds only, the probes the end-to-end tests read.
 */
export const ENGINE_CLOSE_ALL = 'engine.closeAll';
export const ENGINE_SET_DEVICES = 'engine.setDevices';
/** The user is about to call: open the microphone now (MediaEngine.prepare). */
export const ENGINE_PREPARE = 'engine.prepare';
/** The popup is open: prepare the next call's offer, not the microphone (MediaEngine.warm). */
export const ENGINE_WARM = 'engine.warm';

type Handlers = { [K in MediaMethodName]: (engine: MediaEngine, params: MediaParams<K>) => Promise<MediaResult<K>> };

const handlers: Handlers = {
  'media.pc.create': (e, p) => e.create(p),
  'media.pc.createOffer': (e, p) => e.createOffer(p),
  'media.pc.createAnswer': (e, p) => e.createAnswer(p),
  'media.pc.setLocalDescription': (e, p) => e.setLocalDescription(p),
  'media.pc.setRemoteDescription': (e, p) => e.setRemoteDescription(p),
  'media.pc.addMicrophone': (e, p) => e.addMicrophone(p),
  'media.pc.setMicEnabled': (e, p) => e.setMicEnabled(p),
  'media.pc.insertDtmf': (e, p) => e.insertDtmf(p),
  'media.pc.close': (e, p) => e.close(p),
  'media.retain': (e, p) => Promise.resolve(e.retain(p)),
  'media.ring': (e, p) => e.ring(p),
  'media.conference': (e, p) => e.conference(p),
};

export type ExtraCalls = Record<string, (params: unknown) => Promise<unknown>>;

/**
 * Runs one call on the engine. Params were validated by the relay (the host's requests) or come
 * from our own background. The engine queues synchronously here, so the order calls arrive in is
 * the order they run in.
 */
export function dispatchToEngine(engine: MediaEngine, method: string, params: unknown, extra: ExtraCalls = {}): Promise<unknown> {
  if (Object.hasOwn(handlers, method)) {
    const handler = handlers[method as MediaMethodName] as (e: MediaEngine, p: unknown) => Promise<unknown>;
    return handler(engine, params);
  }
  if (method === ENGINE_CLOSE_ALL) return Promise.resolve({ closed: engine.closeAll() });
  if (method === ENGINE_PREPARE) return Promise.resolve((engine.prepare(), {}));
  if (method === ENGINE_WARM) return Promise.resolve((engine.warm(), {}));
  if (method === ENGINE_SET_DEVICES) return engine.setDevices(parseDevicePrefs(params)).then(() => ({}));
  const call = Object.hasOwn(extra, method) ? extra[method] : undefined;
  if (call) return call(params);
  return Promise.reject(new ProtocolError(ErrorCode.UNKNOWN_METHOD, `the media engine has no method ${method}`));
}
