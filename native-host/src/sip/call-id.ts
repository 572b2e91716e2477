import { createHash } from 'node:crypto';

const SAFE = /^[A-Za-z0-9._@+-]{1,128}$/;

/**
 * DESIGN section 4: the SIP Call-ID when it is safe to show and pass to scripts, else a stable
 * hash of it (the same Call-ID always maps to the same id).
 */
export function callIdFor(sipCallId: string): string {
  if (SAFE.test(sipCallId)) return sipCallId;
  return `h-${createHash('sha256').update(sipCallId).digest('hex').slice(0, 32)}`;
}
