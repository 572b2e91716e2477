import { useRef } from 'preact/hooks';
import { t, type MessageKey } from '../lib/i18n';

export const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;
export type Key = (typeof KEYS)[number];

const isKey = (k: string): k is Key => (KEYS as readonly string[]).includes(k);
/** Screen readers say "asterisk" or nothing for * and #; these say what the phone calls them. */
const SPOKEN: Partial<Record<Key, MessageKey>> = { '*': 'keyStar', '#': 'keyHash' };

/**
 * A 12-key phone pad. Typing a key while focus is inside the pad presses it (and moves focus
 * there, so the user sees which one); keys typed anywhere else never reach it.
 */
export function Keypad({ label, testid, onKey, id }: { label: string; testid: string; onKey(key: Key): void; id?: string }) {
  const pad = useRef<HTMLDivElement>(null);
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.ctrlKey || e.metaKey || e.altKey || !isKey(e.key)) return;
    e.preventDefault();
    onKey(e.key);
    pad.current?.querySelector<HTMLButtonElement>(`button[data-key="${e.key}"]`)?.focus();
  };
  return (
    <div class="keypad" role="group" aria-label={label} ref={pad} onKeyDown={onKeyDown} id={id}>
      {KEYS.map((k) => {
        const spoken = SPOKEN[k];
        return (
          <button type="button" class="keypad__key" key={k} data-key={k} data-testid={`${testid}-${k}`} aria-label={spoken ? t(spoken) : undefined} onClick={() => onKey(k)}>
            {k}
          </button>
        );
      })}
    </div>
  );
}
