import type { z } from 'zod';

/** Who sends the request: the browser extension or CLI to the host, or the host to the extension. */
export type Direction = 'to-host' | 'to-extension';

export interface MethodSpec<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  readonly method: string;
  readonly direction: Direction;
  readonly params: P;
  readonly result: R;
  /** Protocol version that introduced the method. */
  readonly since: number;
}

export interface EventSpec<D extends z.ZodType = z.ZodType> {
  readonly event: string;
  readonly data: D;
  readonly since: number;
}

export function defineMethod<P extends z.ZodType, R extends z.ZodType>(
  spec: MethodSpec<P, R>,
): MethodSpec<P, R> {
  return spec;
}

export function defineEvent<D extends z.ZodType>(spec: EventSpec<D>): EventSpec<D> {
  return spec;
}

export type ParamsOf<M extends MethodSpec> = z.input<M['params']>;
export type ResultOf<M extends MethodSpec> = z.output<M['result']>;
export type DataOf<E extends EventSpec> = z.output<E['data']>;
