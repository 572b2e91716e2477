import { describe, expect, it } from 'vitest';
import { autoAnswerDelayMs } from './auto-answer';

describe('autoAnswerDelayMs', () => {
  it.each([
    [{ callInfo: ['<sip:pbx.example>;answer-after=0'] }, 0],
    [{ callInfo: ['<sip:pbx.example>; Answer-After = 3'] }, 3000],
    [{ callInfo: ['<http://x/icon.png>;purpose=icon', '<sip:x>;answer-after="2"'] }, 2000],
    [{ alertInfo: ['<http://www.notused.com>;info=alert-autoanswer;delay=1'] }, 1000],
    [{ alertInfo: ['Auto Answer'] }, 0],
    [{ alertInfo: ['<http://127.0.0.1/Bellcore-dr4>;info=auto answer'] }, 0],
    [{ alertInfo: ['<sip:x>;info=intercom'] }, 0],
    [{ callInfo: ['<sip:x>;answer-after=99999'] }, 60_000],
  ])('%j → %i ms', (headers, ms) => expect(autoAnswerDelayMs(headers)).toBe(ms));

  it.each([[{}], [{ callInfo: ['<http://x/photo.jpg>;purpose=icon'] }], [{ alertInfo: ['<http://x/ring.wav>'] }], [{ callInfo: ['answer-after=0'] }], [{ callInfo: [`<x>;answer-after=${'9'.repeat(50)}`] }]])(
    'no request in %j',
    (headers) => expect(autoAnswerDelayMs(headers)).toBeUndefined(),
  );
});
