import { useEffect, useState } from 'preact/hooks';
import type { ImportProblem, TestStep } from '../../shared/protocol';
import { MAX_IMPORT_CHARS } from '../../shared/protocol/directory';
import { describeIssue, type PublicSettings } from '../../shared/settings';
import { directorySettingsSchema, type PublicDirectory } from '../../shared/settings/directory';
import { errorText, fieldLabel } from '../lib/error-text';
import { t, type MessageKey } from '../lib/i18n';
import { plainText } from '../lib/plain-text';
import type { ActionError } from '../lib/ui-connector';
import type { UiAction } from '../lib/ui-state';
import { Locked } from './locked-note';
import type { SaveSection } from './options-view';

type Form = Record<string, string | boolean>;

function formOf(d: PublicDirectory | undefined): Form {
  const l = d?.ldap;
  const c = d?.crm;
  return {
    ldapEnabled: l?.enabled ?? false,
    url: l?.url ?? '',
    startTls: l?.startTls ?? false,
    caCertificate: l?.caCertificate ?? '',
    bindDn: l?.bindDn ?? '',
    password: '',
    baseDn: l?.baseDn ?? '',
    filter: l?.filter ?? '',
    searchFilter: l?.searchFilter ?? '',
    nameAttribute: l?.nameAttribute ?? 'cn',
    companyAttribute: l?.companyAttribute ?? 'o',
    numberAttributes: (l?.numberAttributes ?? []).join(', '),
    crmEnabled: c?.enabled ?? false,
    urlTemplate: c?.urlTemplate ?? '',
    headerName: c?.headerName ?? '',
    headerValue: '',
    format: c?.format ?? 'json',
    namePath: c?.namePath ?? '',
    companyPath: c?.companyPath ?? '',
    linkPath: c?.linkPath ?? '',
    cacheSeconds: String(c?.cacheSeconds ?? 300),
  };
}

/** The section value from the form: secrets only when typed (the host keeps the saved ones). */
function valueOf(f: Form): unknown {
  const s = (k: string) => String(f[k] ?? '');
  return {
    ldap: {
      enabled: f.ldapEnabled === true,
      url: s('url').trim(),
      startTls: f.startTls === true,
      caCertificate: s('caCertificate').trim() ? `${s('caCertificate').trim()}\n` : '',
      bindDn: s('bindDn'),
      ...(s('password') ? { password: s('password') } : {}),
      baseDn: s('baseDn'),
      filter: s('filter'),
      searchFilter: s('searchFilter'),
      nameAttribute: s('nameAttribute').trim(),
      companyAttribute: s('companyAttribute').trim(),
      numberAttributes: s('numberAttributes').split(',').map((a) => a.trim()).filter(Boolean),
    },
    crm: {
      enabled: f.crmEnabled === true,
      urlTemplate: s('urlTemplate').trim(),
      headerName: s('headerName').trim(),
      ...(s('headerValue') ? { headerValue: s('headerValue') } : {}),
      format: s('format') === 'text' ? 'text' : 'json',
      namePath: s('namePath'),
      companyPath: s('companyPath'),
      linkPath: s('linkPath'),
      cacheSeconds: Number(s('cacheSeconds')),
    },
  };
}

/** The settings field behind a form box, for the administrator's locks (`directory.ldap.url`). */
const FIELD: Record<string, string> = {
  ldapEnabled: 'ldap.enabled',
  url: 'ldap.url',
  startTls: 'ldap.startTls',
  bindDn: 'ldap.bindDn',
  baseDn: 'ldap.baseDn',
  filter: 'ldap.filter',
  crmEnabled: 'crm.enabled',
  urlTemplate: 'crm.urlTemplate',
};

const SOURCE: Record<TestStep['source'], MessageKey> = { contacts: 'dirSourceContacts', ldap: 'dirSourceLdap', crm: 'dirSourceCrm' };

function stepText(s: TestStep): string {
  if (s.outcome === 'found') return t('dirTestFound', [plainText(`${s.contact?.name ?? ''}${s.contact?.company ? ` (${s.contact.company})` : ''}`, 120), String(s.ms)]);
  if (s.outcome === 'not-found') return t('dirTestNotFound', String(s.ms));
  if (s.outcome === 'off') return t('dirTestOff');
  return t('dirTestFailed', plainText(s.detail ?? '', 300));
}

/**
 * Caller names (issue 18): the LDAP directory and the CRM lookup, a Test panel that asks every
 * source for a number and shows each failure, and contact import. The bind password and the
 * CRM header value are never shown: the host keeps them, an empty box keeps the saved one.
 */
export function DirectorySection({ settings, save, act }: { settings: PublicSettings | undefined; save: SaveSection; act(a: UiAction): Promise<unknown> }) {
  const d = settings?.directory;
  const [form, setForm] = useState<Form>(() => formOf(d));
  const [note, setNote] = useState<{ text: string; error: boolean } | undefined>(undefined);
  const [testNumber, setTestNumber] = useState('');
  const [steps, setSteps] = useState<TestStep[] | { error: string } | undefined>(undefined);
  const [imported, setImported] = useState<{ text: string; problems: ImportProblem[] } | undefined>(undefined);
  useEffect(() => setForm(formOf(d)), [JSON.stringify(d)]);

  const locked = new Set(settings?.locked ?? []);
  const isLocked = (k: string) => FIELD[k] !== undefined && locked.has(`directory.${FIELD[k]}`);
  const set = (k: string) => (e: Event) => {
    const el = e.currentTarget as HTMLInputElement;
    setForm((f) => ({ ...f, [k]: el.type === 'checkbox' ? el.checked : el.value }));
  };
  const text = (k: string, label: MessageKey, type: 'text' | 'password' | 'number' = 'text', placeholder?: string) => (
    <label>
      <span>{t(label)}</span>
      <input type={type as 'text'} data-testid={`dir-${k}`} value={String(form[k] ?? '')} placeholder={placeholder} autoComplete="off" disabled={isLocked(k)} onInput={set(k)} />
      <Locked on={isLocked(k)} />
    </label>
  );
  const check = (k: string, label: MessageKey) => (
    <label class="inline">
      <input type="checkbox" data-testid={`dir-${k}`} checked={form[k] === true} disabled={isLocked(k)} onChange={set(k)} /> {t(label)}
      <Locked on={isLocked(k)} />
    </label>
  );

  const submit = async (e: Event) => {
    e.preventDefault();
    const value = valueOf(form);
    const parsed = directorySettingsSchema.safeParse(value);
    if (!parsed.success) return setNote({ text: t('errInvalidSettings', fieldLabel(describeIssue(parsed.error, 'directory').field)), error: true });
    const failed = await save('directory', value);
    setNote(failed ? { text: failed.text, error: true } : { text: t('dirSaved'), error: false });
  };
  const test = (e: Event) => {
    e.preventDefault();
    setSteps(undefined);
    act({ type: 'directory.test', number: testNumber }).then(
      (r) => setSteps((r as { steps: TestStep[] }).steps),
      (err: ActionError) => setSteps({ error: errorText(err) }),
    );
  };
  const importFile = async (e: Event) => {
    const file = (e.currentTarget as HTMLInputElement).files?.[0];
    if (!file) return;
    const format = /\.(vcf|vcard)$/i.test(file.name) ? 'vcard' : 'csv';
    if (file.size > MAX_IMPORT_CHARS) return setImported({ text: t('dirImportTooBig'), problems: [] });
    try {
      const r = (await act({ type: 'contacts.import', format, text: await file.text() })) as { imported: number; total: number; problems: ImportProblem[] };
      setImported({ text: t('dirImported', [String(r.imported), String(r.total)]), problems: r.problems });
    } catch (err) {
      setImported({ text: errorText(err as ActionError), problems: [] });
    }
  };

  return (
    <section id="directory" data-testid="directory">
      <h2>{t('dirTitle')}</h2>
      <p class="muted">{t('dirHint')}</p>
      <form class="form" noValidate onSubmit={(e) => void submit(e)}>
        <h3>{t('dirLdap')}</h3>
        {check('ldapEnabled', 'dirLdapEnabled')}
        {text('url', 'dirLdapUrl', 'text', 'ldaps://ldap.example.com')}
        {check('startTls', 'dirStartTls')}
        <label>
          <span>{t('dirCaCert')}</span>
          <textarea data-testid="dir-caCertificate" rows={3} spellcheck={false} placeholder="-----BEGIN CERTIFICATE-----" value={String(form.caCertificate ?? '')} onInput={set('caCertificate')} />
        </label>
        {text('bindDn', 'dirBindDn')}
        {text('password', 'dirPassword', 'password', d?.ldap.passwordSaved ? t('dirSecretSaved') : '')}
        {text('baseDn', 'dirBaseDn', 'text', 'ou=people,dc=example,dc=com')}
        {text('filter', 'dirFilter')}
        {text('searchFilter', 'dirSearchFilter')}
        {text('nameAttribute', 'dirNameAttr')}
        {text('companyAttribute', 'dirCompanyAttr')}
        {text('numberAttributes', 'dirNumberAttrs')}
        <h3>{t('dirCrm')}</h3>
        {check('crmEnabled', 'dirCrmEnabled')}
        {text('urlTemplate', 'dirCrmUrl', 'text', 'https://crm.example.com/api/lookup?n=!01')}
        {text('headerName', 'dirCrmHeaderName')}
        {text('headerValue', 'dirCrmHeaderValue', 'password', d?.crm.headerValueSaved ? t('dirSecretSaved') : '')}
        <label>
          <span>{t('dirCrmFormat')}</span>
          <select data-testid="dir-format" value={String(form.format)} onChange={set('format')}>
            <option value="json">{t('dirCrmJson')}</option>
            <option value="text">{t('dirCrmText')}</option>
          </select>
        </label>
        {text('namePath', 'dirCrmNamePath')}
        {text('companyPath', 'dirCrmCompanyPath')}
        {text('linkPath', 'dirCrmLinkPath')}
        {text('cacheSeconds', 'dirCrmCache', 'number')}
        <button type="submit" data-testid="dir-save" disabled={!settings}>{t('dirSave')}</button>
        <p class={note?.error ? 'error' : 'muted'} role={note?.error ? 'alert' : 'status'} data-testid="dir-note">{note?.text ?? ''}</p>
      </form>
      <form class="form form--row" noValidate onSubmit={test}>
        <label>
          <span>{t('dirTestNumber')}</span>
          <input type="text" inputMode="tel" data-testid="dir-test-number" value={testNumber} onInput={(e) => setTestNumber((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <button type="submit" data-testid="dir-test" disabled={!settings || !testNumber.trim()}>{t('dirTest')}</button>
      </form>
      {steps ? (
        <ul class="dir-test" data-testid="dir-test-result" role="status">
          {'error' in steps ? <li class="error">{steps.error}</li> : steps.map((s) => (
            <li key={s.source} data-testid={`dir-test-${s.source}`} data-outcome={s.outcome} class={s.outcome === 'failed' ? 'error' : ''}>
              <strong>{t(SOURCE[s.source])}</strong>: {stepText(s)}
            </li>
          ))}
        </ul>
      ) : null}
      <label>
        <span>{t('dirImport')}</span>
        <input type="file" accept=".csv,.vcf,.vcard,text/csv,text/vcard" data-testid="dir-import" onChange={(e) => void importFile(e)} />
      </label>
      {imported ? (
        <div data-testid="dir-import-result" role="status">
          <p>{imported.text}</p>
          <ul>{imported.problems.map((p) => <li key={p.line} class="error">{t('dirImportProblem', [String(p.line), plainText(p.reason, 200)])}</li>)}</ul>
        </div>
      ) : null}
    </section>
  );
}
