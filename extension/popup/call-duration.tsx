import { useEffect, useState } from 'preact/hooks';
import type { CallInfo } from '../../shared/protocol';
import { formatDuration, talkTime } from '../lib/call-text';

/** Talk time since the answer, ticking each second while the call lives; frozen once it ends. */
export function CallDuration({ call }: { call: CallInfo }) {
  const [now, setNow] = useState(Date.now);
  const { answeredAt } = call;
  const live = answeredAt !== undefined && call.state !== 'ended';
  useEffect(() => {
    if (!live) return undefined;
    let timer: ReturnType<typeof setTimeout>;
    // Wake on the call's own second boundaries: a plain 1 s interval drifts and skips a second now and then.
    const tick = () => {
      const n = Date.now();
      setNow(n);
      const intoSecond = (((n - answeredAt) % 1000) + 1000) % 1000;
      timer = setTimeout(tick, 1000 - intoSecond);
    };
    tick();
    return () => clearTimeout(timer);
  }, [live, answeredAt]);
  const ms = talkTime(call, now);
  if (ms === undefined) return null;
  return (
    <span class="call__duration" data-testid="call-duration">
      {formatDuration(ms)}
    </span>
  );
}
