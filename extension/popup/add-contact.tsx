import { useState } from 'preact/hooks';
import type { HistoryRecord } from '../../shared/protocol';
import { t } from '../lib/i18n';

/**
 * "Add to contacts" on a Recent entry (issue 18): a small form with the name and company the
 * call had (from the lookup or the PBX), saved by the host in the local contacts.
 */
export function AddContact({ record, add }: { record: HistoryRecord; add(name: string, company: string, number: string): Promise<void> }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState(record.name ?? '');
  const [company, setCompany] = useState(record.company ?? '');
  const [done, setDone] = useState<string | undefined>(undefined);
  if (done) return <p class="recent__added" role="status" data-testid="recent-added">{done}</p>;
  if (!open) {
    return (
      <button type="button" class="link recent__add" data-testid="recent-add" onClick={() => setOpen(true)}>
        {t('recentAddContact')}
      </button>
    );
  }
  return (
    <form
      class="recent__form"
      data-testid="recent-add-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!name.trim()) return;
        add(name.trim(), company.trim(), record.number).then(
          () => setDone(t('contactSaved')),
          (err: Error) => setDone(err.message),
        );
      }}
    >
      <input type="text" required maxLength={128} aria-label={t('contactName')} placeholder={t('contactName')} data-testid="recent-add-name" value={name} onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} />
      <input type="text" maxLength={128} aria-label={t('contactCompany')} placeholder={t('contactCompany')} data-testid="recent-add-company" value={company} onInput={(e) => setCompany((e.currentTarget as HTMLInputElement).value)} />
      <button type="submit" class="btn" data-testid="recent-add-save">{t('contactSave')}</button>
    </form>
  );
}
