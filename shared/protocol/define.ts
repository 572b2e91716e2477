import type * as z from 'zod';

/**
 * Who receives the message: the host (from the extension or the CLI), or the extension (from the
 * host; a CLI that listens hears the host's pushes too).
 */
export type Direction =
  | 'to-host'
  | 'to-extension'
  /** Internal channels of one build: the media worker ⇄ offscreen document, pages ⇄ background, host ⇄ hotkey helper. */
  | 'to-engine'
  | 'to-background'
  | 'to-page'
  | 'to-helper'
  | 'to-parent';

export interface MethodSpec<
  N extends string = string,
  P extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> {
  readonly method: N;
  readonly direction: Direction;
  readonly params: P;
  readonly result: R;
  /** Protocol version that introduced the method. */
  readonly since: number;
}

export interface EventSpec<N extends string = string, D extends z.ZodType = z.ZodType> {
  readonly event: N;
  readonly direction: Direction;
  readonly data: D;
  readonly since: number;
}

/**
 * A method's schemas are built on first use (`params` and `result` are read through getters): the
 * protocol has some 150 schemas and building them all cost ~15 ms at every start of the CLI and the
 * host, which use a handful (issue 19). Shared schemas that several specs use are `z.lazy` for the
 * same reason.
 */
export function defineMethod<const N extends string, P extends z.ZodType, R extends z.ZodType>(
  spec: Omit<MethodSpec<N, P, R>, 'params' | 'result'> & { readonly params: () => P; readonly result: () => R },
): MethodSpec<N, P, R> {
  const params = once(spec.params);
  const result = once(spec.result);
  return {
    method: spec.method,
    direction: spec.direction,
    since: spec.since,
    get params() {
      return params();
    },
    get result() {
      return result();
    },
  };
}

/** Like defineMethod: `data` is built on first use. */
export function defineEvent<const N extends string, D extends z.ZodType>(spec: Omit<EventSpec<N, D>, 'data'> & { readonly data: () => D }): EventSpec<N, D> {
  const data = once(spec.data);
  return {
    event: spec.event,
    direction: spec.direction,
    since: spec.since,
    get data() {
      return data();
    },
  };
}

/** `build`'s value, made on the first call and kept. */
function once<T extends z.ZodType>(build: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= build());
}

export type ParamsOf<M extends MethodSpec> = z.input<M['params']>;
export type ResultOf<M extends MethodSpec> = z.output<M['result']>;
export type DataOf<E extends EventSpec> = z.output<E['data']>;
