// The slice of the pure-JS `x11` package (no bundled types) the hotkey grabber uses.
declare module 'x11' {
  import type { EventEmitter } from 'node:events';

  export interface XError extends Error {
    error: number;
    seq: number;
    badParam?: number;
  }
  type VoidCb = (err: XError | null) => unknown;
  type ReplyCb<T> = (err: XError | null | undefined, value: T) => unknown;

  export interface XEvent {
    name: string;
    type: number;
    seq: number;
    keycode?: number;
    time?: number;
    /** KeyPress: the modifier and button state. */
    buttons?: number;
    requestor?: number;
    selection?: number;
    target?: number;
    property?: number;
  }

  export interface XClient extends EventEmitter {
    AllocID(): number;
    CreateWindow(id: number, parent: number, x: number, y: number, w: number, h: number, border: number, depth: number, cls: number, visual: number, values?: Record<string, number>): void;
    DestroyWindow(id: number): void;
    InternAtom(onlyIfExists: boolean, name: string, cb: ReplyCb<number>): void;
    GetKeyboardMapping(first: number, count: number, cb: ReplyCb<number[][]>): void;
    GetModifierMapping(cb: ReplyCb<number[][]>): void;
    GrabKey(wid: number, ownerEvents: number, modifiers: number, keycode: number, pointerMode: number, keyboardMode: number, cb?: VoidCb): void;
    UngrabKey(wid: number, keycode: number, modifiers: number, cb?: VoidCb): void;
    GetSelectionOwner(selection: number, cb: ReplyCb<number>): void;
    ConvertSelection(requestor: number, selection: number, target: number, property: number, time: number): void;
    GetProperty(del: number, wid: number, prop: number, type: number, offset: number, length: number, cb: ReplyCb<{ type: number; format: number; bytesAfter: number; data: Buffer }>): void;
    sync(): Promise<void>;
    terminate(): void;
  }

  export interface XScreen {
    root: number;
  }
  export interface XDisplay {
    client: XClient;
    screen: XScreen[];
    min_keycode: number;
    max_keycode: number;
  }

  export function createClient(options: { display?: string; shm?: boolean; disableBigRequests?: boolean }, cb: (err: Error | undefined, display: XDisplay) => void): XClient;
  export const eventMask: Record<string, number>;
}
