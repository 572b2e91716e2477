import { describe, expect, it } from 'vitest';
import { ExecutionLog } from './execution-log';

const entry = (result: 'running' | 'ok' = 'running') => ({ at: 0, event: 'CALL_IN' as const, callId: 'c', ruleId: 'r', plan: { kind: 'error' as const, message: 'x' }, result });

describe('ExecutionLog', () => {
  it('keeps the last 50, newest first', () => {
    const log = new ExecutionLog(50);
    for (let i = 0; i < 60; i++) log.add(entry('ok'));
    const list = log.list();
    expect(list).toHaveLength(50);
    expect(list[0]!.seq).toBe(60);
    expect(list[49]!.seq).toBe(11);
  });
  it('an execution pushed out of the list while running still reports its end', () => {
    const log = new ExecutionLog(2);
    const first = log.add(entry());
    log.add(entry());
    log.add(entry());
    expect(log.update(first.seq, { result: 'ok' })).toMatchObject({ seq: first.seq, result: 'ok' });
    expect(log.update(first.seq, { result: 'ok' })).toBeUndefined();
    expect(log.list().map((e) => e.seq)).toEqual([3, 2]);
  });
});
