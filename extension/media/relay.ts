import { ErrorCode, mediaMethods, ProtocolError, type MediaMethodName, type PcSnapshot } from '../../shared/protocol';
import type { BackendHooks, MediaBackend } from './backend';
import { defaultDevicePrefs, sameDevicePrefs, type AudioDevicePrefs } from './device-prefs';
import { ENGINE_CLOSE_ALL, ENGINE_PREPARE, ENGINE_SET_DEVICES, ENGINE_WARM } from './engine-dispatch';
import { supersedes } from '../../shared/protocol/media';
import { closedSnapshot, type PcEventData } from './snapshot';

export interface MediaRelayDeps {
  /** Builds the backend (offscreen document or local engine) around the relay's hooks. */
  backend(hooks: BackendHooks): MediaBackend;
  /** Pushes an event to the host (`media.pc`). */
  notify(data: PcEventData): void;
  /** The user's devices as stored; requests wait for them so the first call already uses them. */
  devices: Promise<AudioDevicePrefs>;
  /** getUserMedia was refused: the extension origin has no microphone permission yet. */
  onMicDenied?(): void;
  log(message: string, err?: unknown): void;
  /**
   * How long peer connections outlive a lost host connection. The host keeps calls up while the
   * browser reconnects (a worker restart) and then says which ones it still owns (`media.retain`).
   */
  orphanGraceMs?: number;
}

const ORPHAN_GRACE_MS = 20_000;

/**
 * The background's half of the media bridge: checks each host request against the protocol,
 * forwards it to the engine and returns the engine's answer; forwards the engine's events to the
 * host. It remembers the last snapshot of every live peer connection, so that when Chrome takes
 * the offscreen document away it can tell the host those peer connections are closed.
 */
export class MediaRelay {
  private readonly backend: MediaBackend;
  private readonly live = new Map<string, PcSnapshot>();
  /** Spares the host was told it may claim: when the engine goes away, it must hear they are gone. */
  private readonly spares = new Map<string, PcSnapshot>();
  private devices: AudioDevicePrefs = defaultDevicePrefs;
  private readonly devicesLoaded: Promise<void>;
  private hostConnected = false;
  private orphanTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly deps: MediaRelayDeps) {
    this.backend = deps.backend({
      event: (data) => this.onEvent(data),
      lost: (reason) => this.onLost(reason),
      startCalls: () => [[ENGINE_SET_DEVICES, this.devices]],
      log: deps.log,
    });
    this.devicesLoaded = deps.devices.then(
      (d) => void (this.devices = d),
      (err: unknown) => deps.log('cannot read the audio devices; using the defaults', err),
    );
  }

  /** The handler for NativePort.serve: every request the host sends to the extension. */
  readonly handle = async (method: string, params: unknown): Promise<unknown> => {
    if (!Object.hasOwn(mediaMethods, method)) throw new ProtocolError(ErrorCode.UNKNOWN_METHOD, `the extension has no method ${method}`);
    const parsed = mediaMethods[method as MediaMethodName].params.safeParse(params);
    if (!parsed.success) {
      const why = parsed.error.issues.map((i) => `${i.path.join('.') || 'params'}: ${i.message}`).join('; ');
      throw new ProtocolError(ErrorCode.INVALID_PARAMS, `${method}: ${why}`);
    }
    const p = parsed.data as { pcId?: string };
    // Every request awaits the same promises in arrival order, so none overtakes another here.
    await this.devicesLoaded;
    let result: unknown;
    try {
      result = await this.backend.call(method, parsed.data);
    } catch (err) {
      if (method === 'media.pc.addMicrophone' && domErrorName(err) === 'NotAllowedError') this.deps.onMicDenied?.();
      throw err;
    }
    if (p.pcId !== undefined) this.remember(method, p.pcId, result);
    // Taken: from now on it is that call's peer connection.
    const spare = method === 'media.pc.create' ? (parsed.data as { spare?: string }).spare : undefined;
    if (spare !== undefined) this.spares.delete(spare);
    return result;
  };

  /**
   * Follows the native port. A host that comes back within the grace period keeps its calls (it
   * names them with `media.retain`); one that does not come back has lost them, and so the peer
   * connections close (DESIGN section 2). Reconnect attempts in between change nothing.
   */
  connectionChanged(connected: boolean): void {
    if (connected) {
      this.hostConnected = true;
      if (this.orphanTimer !== undefined) clearTimeout(this.orphanTimer);
      this.orphanTimer = undefined;
    } else if (this.hostConnected) {
      this.hostConnected = false;
      this.orphanTimer ??= setTimeout(() => {
        this.orphanTimer = undefined;
        this.closeAll();
      }, this.deps.orphanGraceMs ?? ORPHAN_GRACE_MS);
    }
  }

  /** Closes every peer connection the engine holds. */
  closeAll(): void {
    this.live.clear();
    if (!this.backend.running) return;
    this.backend.call(ENGINE_CLOSE_ALL, {}).catch((err: unknown) => this.deps.log('closing the peer connections failed', err));
  }

  /**
   * The user is about to call (the popup is in use): starts the engine (Chrome: the offscreen
   * document) and opens the microphone now, so the click does not wait for either. Only while a
   * host is connected: without one no call can be made.
   */
  prepare(): void {
    if (!this.hostConnected) return;
    void this.devicesLoaded
      .then(() => this.backend.call(ENGINE_PREPARE, {}))
      .catch((err: unknown) => this.deps.log('preparing for a call failed', err));
  }

  /**
   * The popup opened (registered): the engine prepares the next call's peer connection (spares.ts)
   * without opening the microphone. Only while a host is connected, like prepare().
   */
  warm(): void {
    if (!this.hostConnected) return;
    void this.devicesLoaded
      .then(() => this.backend.call(ENGINE_WARM, {}))
      .catch((err: unknown) => this.deps.log('preparing for a call failed', err));
  }

  /** The user picked other devices; live calls switch too. */
  setDevices(devices: AudioDevicePrefs): void {
    if (sameDevicePrefs(devices, this.devices)) return;
    this.devices = devices;
    if (!this.backend.running) return;
    this.backend.call(ENGINE_SET_DEVICES, devices).catch((err: unknown) => this.deps.log('applying the audio devices failed', err));
  }

  /** For diagnostics and tests: the backend and what it holds. */
  get backendForTests(): MediaBackend {
    return this.backend;
  }

  get livePcIds(): string[] {
    return [...this.live.keys()];
  }

  private remember(method: string, pcId: string, result: unknown): void {
    if (method === 'media.pc.close') {
      this.live.delete(pcId);
      return;
    }
    const snapshot = (result as { snapshot?: PcSnapshot } | undefined)?.snapshot;
    if (snapshot && (method === 'media.pc.create' || this.live.has(pcId)) && supersedes(snapshot, this.live.get(pcId))) this.live.set(pcId, snapshot);
  }

  private onEvent(data: PcEventData): void {
    if (data.type === 'prepared') this.spares.set(data.pcId, data.snapshot);
    else if (data.type === 'withdrawn') this.spares.delete(data.pcId);
    else if (data.type === 'closed') this.live.delete(data.pcId);
    else if (this.live.has(data.pcId) && supersedes(data.snapshot, this.live.get(data.pcId))) this.live.set(data.pcId, data.snapshot);
    this.deps.notify(data);
  }

  private onLost(reason: string): void {
    this.deps.log(`media engine lost: ${reason}`);
    const gone = [...this.live];
    this.live.clear();
    for (const [pcId, last] of gone) this.deps.notify({ pcId, type: 'closed', snapshot: closedSnapshot(last) });
    const spares = [...this.spares];
    this.spares.clear();
    for (const [pcId, last] of spares) this.deps.notify({ pcId, type: 'withdrawn', snapshot: closedSnapshot(last) });
  }
}

/** The DOMException name the engine put in `data.name` (see asProtocolError). */
function domErrorName(err: unknown): string | undefined {
  const data = err instanceof ProtocolError ? err.data : undefined;
  return typeof data === 'object' && data !== null ? (data as { name?: string }).name : undefined;
}
