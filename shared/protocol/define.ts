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

export function defineMethod<const N extends string, P extends z.ZodType, R extends z.ZodType>(
  spec: MethodSpec<N, P, R>,
): MethodSpec<N, P, R> {
  return spec;
}

export function defineEvent<const N extends string, D extends z.ZodType>(spec: EventSpec<N, D>): EventSpec<N, D> {
  return spec;
}

export type ParamsOf<M extends MethodSpec> = z.input<M['params']>;
export type ResultOf<M extends MethodSpec> = z.output<M['result']>;
export type DataOf<E extends EventSpec> = z.output<E['data']>;
