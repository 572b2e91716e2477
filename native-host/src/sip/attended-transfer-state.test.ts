import { describe, expect, it } from 'vitest';
import { startTransfer, step, TransferStateError, type TransferEvent, type TransferState } from './attended-transfer-state';

const run = (events: TransferEvent[], from: TransferState = startTransfer('3001')) => {
  let s = from;
  const actions: string[] = [];
  for (const e of events) {
    const r = step(s, e);
    s = r.state;
    actions.push(...r.actions);
  }
  return { s, actions };
};
const started: TransferEvent[] = [{ type: 'consult-started', consultId: 'c2' }];
const talking: TransferEvent[] = [...started, { type: 'target-answered' }];

describe('attended transfer state machine', () => {
  it('consult → target answers → complete → NOTIFY 200: done, both legs end', () => {
    const { s, actions } = run([...talking, { type: 'complete' }, { type: 'refer-accepted' }]);
    expect(s.phase).toBe('done');
    expect(actions).toEqual(['send-refer', 'end-legs']);
  });

  it('the target ending the consult while completing (Replaces at work) is not a failure', () => {
    const { s } = run([...talking, { type: 'complete' }, { type: 'target-ended', reason: 'hung-up' }]);
    expect(s.phase).toBe('completing');
    expect(run([{ type: 'refer-accepted' }], s).s.phase).toBe('done');
  });

  it('the caller leaving after the REFER counts as the transfer done', () => {
    const { s, actions } = run([...talking, { type: 'complete' }, { type: 'original-ended' }]);
    expect(s.phase).toBe('done');
    expect(actions).toEqual(['send-refer', 'end-legs']);
  });

  it('cancel while talking: hang up the consult, resume the caller', () => {
    const { s, actions } = run([...talking, { type: 'cancel' }]);
    expect(s.phase).toBe('canceled');
    expect(actions).toEqual(['hangup-consult', 'resume-original']);
  });

  it('cancel while the target rings does the same', () => {
    expect(run([...started, { type: 'cancel' }]).actions).toEqual(['hangup-consult', 'resume-original']);
  });

  it('target busy: failed with target-busy and its code; the caller stays on hold (no action)', () => {
    const { s, actions } = run([...started, { type: 'target-ended', reason: 'busy', code: 486 }]);
    expect(s).toMatchObject({ phase: 'failed', failure: 'target-busy', code: 486 });
    expect(s.consultId).toBeUndefined();
    expect(actions).toEqual([]);
  });

  it('target declines or does not answer', () => {
    expect(run([...started, { type: 'target-ended', reason: 'declined', code: 603 }]).s.failure).toBe('target-busy');
    expect(run([...started, { type: 'target-ended', reason: 'no-answer', code: 480 }]).s.failure).toBe('target-unavailable');
  });

  it('target hangs up after answering: failed with target-hung-up; cancel then only resumes', () => {
    const { s } = run([...talking, { type: 'target-ended', reason: 'hung-up' }]);
    expect(s).toMatchObject({ phase: 'failed', failure: 'target-hung-up' });
    const back = step(s, { type: 'cancel' });
    expect(back.state.phase).toBe('canceled');
    expect(back.actions).toEqual(['resume-original']);
  });

  it('REFER refused: failed with refer-refused and the code, the target still up; complete may be retried', () => {
    const { s } = run([...talking, { type: 'complete' }, { type: 'refer-failed', code: 403 }]);
    expect(s).toMatchObject({ phase: 'failed', failure: 'refer-refused', code: 403, consultId: 'c2' });
    const retry = step(s, { type: 'complete' });
    expect(retry.state.phase).toBe('completing');
    expect(retry.state.failure).toBeUndefined();
    expect(retry.actions).toEqual(['send-refer']);
    expect(step(s, { type: 'cancel' }).actions).toEqual(['hangup-consult', 'resume-original']);
  });

  it('refuses complete before the target answers, and cancel while completing', () => {
    expect(() => run([...started, { type: 'complete' }])).toThrow(TransferStateError);
    expect(() => run([...talking, { type: 'complete' }, { type: 'cancel' }])).toThrow(/can no longer be canceled/);
    expect(() => run([...talking, { type: 'cancel' }, { type: 'cancel' }])).toThrow(/no transfer in progress/);
  });

  it('the caller hanging up before complete ends the transfer; late network events change nothing', () => {
    const { s, actions } = run([...talking, { type: 'original-ended' }, { type: 'refer-accepted' }, { type: 'target-ended', reason: 'hung-up' }]);
    expect(s.phase).toBe('canceled');
    expect(actions).toEqual([]);
  });

  it('a late target-answered after a cancel is ignored', () => {
    expect(run([...started, { type: 'cancel' }, { type: 'target-answered' }]).s.phase).toBe('canceled');
  });
});
