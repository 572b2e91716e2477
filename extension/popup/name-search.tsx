import { useEffect, useRef, useState } from 'preact/hooks';
import type { SearchHit } from '../../shared/protocol';
import { t } from '../lib/i18n';
import { plainText } from '../lib/plain-text';

export type SearchNames = (query: string) => Promise<{ hits: SearchHit[]; ldap: 'ok' | 'off' | 'failed' }>;

/** One callable line of a search: a name with one of its numbers. */
export interface NameOption {
  name: string;
  company?: string;
  number: string;
  label?: string;
}

/** Text with a letter is a name to search; digits alone (or a SIP address) are dialled as typed. */
export function isNameQuery(value: string): boolean {
  return /\p{L}/u.test(value) && !/^\s*(sips?|tel|callto):/i.test(value);
}

/**
 * Dial by name (issue 18): the host's `directory.search` as the user types, the answer to the
 * latest keystroke only (an older answer arriving late is dropped).
 */
export function useNameSearch(value: string, search: SearchNames | undefined): { options: NameOption[]; failed: boolean; query: string } {
  const [result, setResult] = useState<{ options: NameOption[]; failed: boolean; query: string }>({ options: [], failed: false, query: '' });
  const latest = useRef(0);
  useEffect(() => {
    const seq = ++latest.current;
    if (!search || !isNameQuery(value)) return void setResult({ options: [], failed: false, query: '' });
    search(value.trim()).then(
      ({ hits, ldap }) => {
        if (seq !== latest.current) return;
        const options = hits.flatMap((h) => h.numbers.map((n) => ({ name: h.name, ...(h.company ? { company: h.company } : {}), number: n.number, ...(n.label ? { label: n.label } : {}) })));
        setResult({ options: options.slice(0, 12), failed: ldap === 'failed', query: value });
      },
      () => seq === latest.current && setResult({ options: [], failed: true, query: value }),
    );
  }, [value, search]);
  return result;
}

/** The search's answers as a listbox under the dial box (the box keeps focus: arrows move, Enter calls). */
export function NameResults({ id, options, active, failed, query, onPick }: { id: string; options: NameOption[]; active: number; failed: boolean; query: string; onPick(o: NameOption): void }) {
  if (options.length === 0 && !failed) return null;
  return (
    <div class="names">
      {failed ? <p class="dial__note" data-testid="name-search-failed">{t('searchDirectoryFailed')}</p> : null}
      <ul class="names__list" id={id} role="listbox" aria-label={t('searchResults')} data-testid="name-results" data-query={query}>
        {options.map((o, i) => (
          <li
            key={`${o.name}|${o.number}`}
            id={`${id}-${i}`}
            role="option"
            aria-selected={i === active}
            class={`names__item${i === active ? ' names__item--active' : ''}`}
            data-testid="name-result"
            data-number={o.number}
            title={t('searchCall', [plainText(o.name, 64), plainText(o.number, 48)])}
            // mousedown, not click: the box must not lose focus first.
            onMouseDown={(e) => {
              e.preventDefault();
              onPick(o);
            }}
          >
            <span class="names__name">{plainText(o.name, 64)}</span>
            {o.company ? <span class="names__company">{plainText(o.company, 64)}</span> : null}
            <span class="names__number">
              {plainText(o.number, 48)}
              {o.label ? ` · ${plainText(o.label, 24)}` : ''}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
