/**
 * Caller-controlled text (display names, numbers from a SIP header) made safe to show anywhere:
 * no control or bidi-override characters (they can make "evil" read as "live"), one line, capped.
 */
export function plainText(value: string, max: number): string {
  const flat = value
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const chars = [...flat];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : flat;
}
