import type * as z from 'zod';
import type { MediaMethodName, mediaMethods, media } from '../../../shared/protocol';
import { pcSnapshot } from '../../../shared/protocol/media';

export type PcEvent = z.output<typeof media.pcEvent.data>;
type Spec<K extends MediaMethodName> = (typeof mediaMethods)[K];

/**
 * How the host reaches the browser's media engine: requests over the native channel, and the
 * peer-connection events that come back. Implemented in host.ts over the browser's session.
 */
export interface MediaBridge {
  request<K extends MediaMethodName>(method: K, params: z.input<Spec<K>['params']>): Promise<z.output<Spec<K>['result']>>;
  subscribe(pcId: string, listener: (event: PcEvent) => void): () => void;
  nextPcId(): string;
}

/** Keeps per-pcId listeners and hands out ids; the transport is whatever `send` does. */
export class MediaEventRouter {
  private readonly listeners = new Map<string, (event: PcEvent) => void>();
  private counter = 0;

  nextPcId(): string {
    this.counter += 1;
    return `pc-${this.counter}`;
  }

  subscribe(pcId: string, listener: (event: PcEvent) => void): () => void {
    this.listeners.set(pcId, listener);
    return () => {
      if (this.listeners.get(pcId) === listener) this.listeners.delete(pcId);
    };
  }

  /** The peer connections some call still listens to. */
  livePcIds(): string[] {
    return [...this.listeners.keys()];
  }

  dispatch(event: PcEvent): void {
    this.listeners.get(event.pcId)?.(event);
  }

  /** The browser is gone: every mirror learns its connection failed, so JsSIP ends the calls. */
  failAll(): void {
    for (const [pcId, listener] of [...this.listeners]) {
      listener({
        pcId,
        type: 'iceconnectionstatechange',
        snapshot: pcSnapshot({ signalingState: 'closed', iceGatheringState: 'complete', iceConnectionState: 'failed', connectionState: 'failed' }),
      });
    }
  }
}
