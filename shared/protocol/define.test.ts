import * as z from 'zod';
import { describe, expect, it, vi } from 'vitest';
import { defineEvent, defineMethod } from './define';
import { extensionEvents, extensionMethods, hostEvents, hostMethods } from './index';

describe('defineMethod / defineEvent', () => {
  it('builds a spec’s schemas on first use, once', () => {
    const params = vi.fn(() => z.strictObject({ n: z.number() }));
    const result = vi.fn(() => z.object({ ok: z.boolean() }));
    const spec = defineMethod({ method: 'demo', direction: 'to-host', since: 1, params, result });
    expect(spec.method).toBe('demo');
    expect(params).not.toHaveBeenCalled();
    expect(result).not.toHaveBeenCalled();
    expect(spec.params.parse({ n: 1 })).toEqual({ n: 1 });
    expect(spec.params).toBe(spec.params);
    expect(params).toHaveBeenCalledTimes(1);
    expect(result).not.toHaveBeenCalled();
    expect(() => spec.result.parse({ ok: 'no' })).toThrow();
    expect(result).toHaveBeenCalledTimes(1);
  });

  it('builds an event’s data schema on first use, once', () => {
    const data = vi.fn(() => z.object({ at: z.number() }));
    const spec = defineEvent({ event: 'tick', direction: 'to-extension', since: 1, data });
    expect(data).not.toHaveBeenCalled();
    expect(spec.data.safeParse({ at: 'x' }).success).toBe(false);
    expect(spec.data).toBe(spec.data);
    expect(data).toHaveBeenCalledTimes(1);
  });

  it('every schema of the protocol builds and decodes totally (no throw on junk)', () => {
    const junk: unknown[] = [undefined, null, 0, 'x', [], {}, { id: 1 }, { call: {} }];
    for (const spec of [...Object.values(hostMethods), ...Object.values(extensionMethods)]) {
      for (const schema of [spec.params, spec.result]) {
        expect(schema).toBeInstanceOf(z.ZodType);
        for (const value of junk) expect(() => schema.safeParse(value)).not.toThrow();
      }
    }
    for (const spec of [...Object.values(hostEvents), ...Object.values(extensionEvents)]) {
      expect(spec.data).toBeInstanceOf(z.ZodType);
      for (const value of junk) expect(() => spec.data.safeParse(value)).not.toThrow();
    }
  });
});
