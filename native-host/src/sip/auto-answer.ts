/**
 * Auto-answer / intercom requests in an incoming INVITE (issue 17), the forms MicroSIP, Polycom,
 * Yealink and Snom accept:
 *   Call-Info: <sip:pbx>;answer-after=0
 *   Alert-Info: <http://x>;info=alert-autoanswer;delay=2   (Yealink/Snom, MicroSIP)
 *   Alert-Info: Auto Answer  /  Alert-Info: <…>;info=auto answer   (Polycom)
 * Read totally from untrusted header text: a delay or undefined (no request), never a throw.
 */
export const MAX_AUTO_ANSWER_S = 60;

export function autoAnswerDelayMs(headers: { callInfo?: readonly string[]; alertInfo?: readonly string[] }): number | undefined {
  for (const value of headers.callInfo ?? []) {
    const m = /;\s*answer-after\s*=\s*"?(\d{1,5})(?!\d)"?/i.exec(String(value).slice(0, 4096));
    if (m) return seconds(m[1]!);
  }
  for (const value of headers.alertInfo ?? []) {
    const v = String(value).slice(0, 4096);
    if (!/auto[\s_-]?answer|intercom/i.test(v)) continue;
    const delay = /;\s*(?:delay|answer-after)\s*=\s*"?(\d{1,5})(?!\d)"?/i.exec(v);
    return delay ? seconds(delay[1]!) : 0;
  }
  return undefined;
}

function seconds(digits: string): number {
  return Math.min(MAX_AUTO_ANSWER_S, Number(digits)) * 1000;
}
