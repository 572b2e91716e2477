import type { RefObject } from 'preact';
import { useId, useRef, useState } from 'preact/hooks';
import { checkDialInput } from '../lib/dial-input';
import { t } from '../lib/i18n';
import { Keypad } from './keypad';
import { NameResults, useNameSearch, type NameOption, type SearchNames } from './name-search';

/**
 * The number box, its keypad and the Call button. The box takes whatever is typed or pasted and
 * shows what will really be dialled; a refusal is shown only once the user tries to call, so a
 * half-typed "+3" is not scolded.
 */
export function DialPad({
  onDial,
  keysOpenByDefault,
  inputRef,
  search,
}: {
  onDial(number: string): void;
  keysOpenByDefault: boolean;
  inputRef?: RefObject<HTMLInputElement | null>;
  /** Dial by name: typed letters search the contacts and the directory. */
  search?: SearchNames;
}) {
  const [value, setValue] = useState('');
  const [tried, setTried] = useState(false);
  const [keysOpen, setKeysOpen] = useState<boolean | undefined>(undefined);
  const id = useId();
  const own = useRef<HTMLInputElement>(null);
  const box = inputRef ?? own;
  const open = keysOpen ?? keysOpenByDefault;
  const names = useNameSearch(value, search);
  const [active, setActive] = useState(0);
  const picking = names.options.length > 0;
  const check = checkDialInput(value);
  const refusal = tried && !check.ok && !picking ? t(check.key, check.subs) : undefined;
  const hint = check.ok && check.target.display !== value.trim() ? t('dialHint', check.target.display) : undefined;

  const pick = (o: NameOption) => {
    const target = checkDialInput(o.number);
    if (!target.ok) return;
    onDial(target.target.dial);
    setValue('');
    setTried(false);
    setActive(0);
  };

  const call = () => {
    const option = picking ? names.options[Math.min(active, names.options.length - 1)] : undefined;
    if (option) return pick(option);
    // The box, not the last render: a paste and an Enter can arrive before Preact re-renders.
    const now = checkDialInput(box.current?.value ?? value);
    if (!now.ok) {
      setTried(true);
      return;
    }
    onDial(now.target.dial);
    setValue('');
    setTried(false);
  };

  return (
    <section class="dial" aria-label={t('dialHeading')}>
      <div class="dial__row">
        <input
          ref={box}
          class="dial__input"
          type="text"
          inputMode="tel"
          autoComplete="off"
          spellcheck={false}
          value={value}
          placeholder={t('dialPlaceholder')}
          aria-label={t('dialLabel')}
          aria-invalid={refusal ? true : undefined}
          aria-describedby={refusal || hint ? `${id}-note` : undefined}
          role={search ? 'combobox' : undefined}
          aria-expanded={search ? picking : undefined}
          aria-controls={picking ? `${id}-names` : undefined}
          aria-activedescendant={picking ? `${id}-names-${Math.min(active, names.options.length - 1)}` : undefined}
          data-testid="dial-input"
          onInput={(e) => {
            setValue((e.currentTarget as HTMLInputElement).value);
            setActive(0);
          }}
          onKeyDown={(e) => {
            if (picking && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
              e.preventDefault();
              const n = names.options.length;
              setActive((a) => (Math.min(a, n - 1) + (e.key === 'ArrowDown' ? 1 : n - 1)) % n);
              return;
            }
            if (e.key !== 'Enter' || e.isComposing) return;
            e.preventDefault();
            call();
          }}
        />
        <button
          type="button"
          class="btn btn--icon"
          aria-label={t('dialBackspace')}
          title={t('dialBackspace')}
          disabled={!value}
          data-testid="dial-backspace"
          onClick={() => setValue((v) => [...v].slice(0, -1).join(''))}
        >
          ⌫
        </button>
        <button
          type="button"
          class="btn btn--icon"
          aria-label={t('dialKeypad')}
          title={t('dialKeypad')}
          aria-expanded={open}
          aria-controls={open ? `${id}-keys` : undefined}
          data-testid="dial-keys-toggle"
          onClick={() => setKeysOpen(!open)}
        >
          ⠿
        </button>
        <button type="button" class="btn btn--ok" data-testid="dial-call" onClick={call}>
          {t('dialCall')}
        </button>
      </div>
      <NameResults id={`${id}-names`} options={names.options} active={Math.min(active, Math.max(0, names.options.length - 1))} failed={names.failed} query={names.query} onPick={pick} />
      {refusal ? (
        <p class="dial__note dial__note--error" id={`${id}-note`} role="alert" data-testid="dial-error">
          {refusal}
        </p>
      ) : hint ? (
        <p class="dial__note" id={`${id}-note`} data-testid="dial-hint">
          {hint}
        </p>
      ) : null}
      {open ? <Keypad id={`${id}-keys`} label={t('dialKeypad')} testid="dial-key" onKey={(k) => setValue((v) => v + k)} /> : null}
    </section>
  );
}
