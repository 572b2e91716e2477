/**
 * application/simple-message-summary (RFC 3842), decoded totally: any text gives a summary or
 * undefined (not a summary at all). Only the lines the UI uses are read; everything is capped.
 *
 *   Messages-Waiting: yes
 *   Message-Account: sip:*97@pbx.example
 *   Voice-Message: 2/8 (0/2)
 */
export interface MessageSummary {
  waiting: boolean;
  newMessages: number;
  oldMessages: number;
  account?: string;
}

export const MAX_SUMMARY_BYTES = 16 * 1024;
/** A count above this is nonsense from the wire, shown as this. */
const MAX_COUNT = 99_999;

export function parseMessageSummary(body: string): MessageSummary | undefined {
  if (typeof body !== 'string' || body.length > MAX_SUMMARY_BYTES) return undefined;
  let waiting: boolean | undefined;
  let account: string | undefined;
  let newMessages = 0;
  let oldMessages = 0;
  for (const raw of body.split(/\r?\n/)) {
    const m = /^\s*([A-Za-z-]+)\s*:\s*(.*?)\s*$/.exec(raw);
    if (!m) continue;
    const name = m[1]!.toLowerCase();
    const value = m[2]!;
    if (name === 'messages-waiting') {
      if (/^yes$/i.test(value)) waiting = true;
      else if (/^no$/i.test(value)) waiting = false;
    } else if (name === 'message-account') {
      // A URI with no spaces or control characters; anything else is not kept.
      if (/^[A-Za-z][A-Za-z0-9+.-]*:[^\s\x00-\x1f\x7f<>"]{1,250}$/.test(value)) account = value;
    } else if (name === 'voice-message') {
      const counts = /^(\d{1,9})\/(\d{1,9})/.exec(value);
      if (counts) {
        newMessages = Math.min(MAX_COUNT, Number(counts[1]));
        oldMessages = Math.min(MAX_COUNT, Number(counts[2]));
      }
    }
  }
  // Messages-Waiting is the one mandatory line (RFC 3842 §5.2).
  if (waiting === undefined) return undefined;
  return { waiting, newMessages: waiting ? newMessages : 0, oldMessages, ...(account ? { account } : {}) };
}

/** The user part of the mailbox URI to dial (`sip:*97@pbx` → `*97`), or undefined when it has none. */
export function voicemailNumberOf(account: string | undefined): string | undefined {
  const m = /^sips?:([0-9*#+]{1,32})@/i.exec(account ?? '');
  return m?.[1];
}
