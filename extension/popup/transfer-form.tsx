import { useId, useRef, useState } from 'preact/hooks';
import { checkDialInput } from '../lib/dial-input';
import { t } from '../lib/i18n';

/**
 * Where to, then Transfer (blind) or Consult (attended: hold the caller, call the target first).
 * The target is normalised like a dialled number.
 */
export function TransferForm({ onTransfer, onConsult }: { onTransfer(target: string): void; onConsult?(target: string): void }) {
  const [value, setValue] = useState('');
  const [refusal, setRefusal] = useState<string | undefined>(undefined);
  const id = useId();
  const box = useRef<HTMLInputElement>(null);
  const submit = (how: 'blind' | 'consult' = 'blind') => {
    // The box, not the last render: a paste and an Enter can arrive before Preact re-renders.
    const check = checkDialInput(box.current?.value ?? value);
    if (!check.ok) {
      setRefusal(t(check.key, check.subs));
      return;
    }
    if (how === 'consult' && onConsult) onConsult(check.target.dial);
    else onTransfer(check.target.dial);
    setValue('');
    setRefusal(undefined);
  };
  return (
    <div class="transfer">
      <div class="transfer__row">
        <input
          ref={box}
          class="transfer__input"
          type="text"
          inputMode="tel"
          autoComplete="off"
          spellcheck={false}
          value={value}
          placeholder={t('callTransferPlaceholder')}
          aria-label={t('callTransferLabel')}
          aria-invalid={refusal ? true : undefined}
          aria-describedby={refusal ? `${id}-error` : undefined}
          data-testid="call-transfer-input"
          onInput={(e) => {
            setValue((e.currentTarget as HTMLInputElement).value);
            setRefusal(undefined);
          }}
          onKeyDown={(e) => {
            if (e.key !== 'Enter' || e.isComposing) return;
            e.preventDefault();
            submit();
          }}
        />
        <button type="button" class="btn" data-testid="call-transfer" onClick={() => submit()}>
          {t('callTransfer')}
        </button>
        {onConsult ? (
          <button type="button" class="btn" data-testid="call-consult" title={t('callConsultHint')} onClick={() => submit('consult')}>
            {t('callConsult')}
          </button>
        ) : null}
      </div>
      {refusal ? (
        <p class="dial__note dial__note--error" id={`${id}-error`} role="alert">
          {refusal}
        </p>
      ) : null}
    </div>
  );
}
