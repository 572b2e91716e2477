import { useEffect, useState } from 'preact/hooks';
import { accountSchema } from '../../shared/protocol/account';
import { describeIssue, type PublicAccount, type PublicSettings } from '../../shared/settings';
import { preferencesSchema, type DialFormatPref } from '../../shared/settings/preferences';
import { fieldLabel } from '../lib/error-text';
import { t } from '../lib/i18n';
import { CountrySelect } from './country-select';
import { Locked } from './locked-note';
import type { SaveSection } from './options-view';

interface Form {
  ws1: string;
  ws2: string;
  uri: string;
  authUser: string;
  secret: 'password' | 'ha1';
  password: string;
  ha1: string;
  realm: string;
  displayName: string;
  extension: string;
  tlsCaFile: string;
  dial: DialFormatPref;
}

function formOf(account: PublicAccount | undefined, dial: DialFormatPref): Form {
  return {
    ws1: account?.wsUrls[0] ?? '',
    ws2: account?.wsUrls[1] ?? '',
    uri: account?.uri ?? '',
    authUser: account?.authUser ?? '',
    secret: account?.ha1Saved ? 'ha1' : 'password',
    password: '',
    ha1: '',
    realm: account?.realm ?? '',
    displayName: account?.displayName ?? '',
    extension: account?.extension ?? '',
    tlsCaFile: account?.tlsCaFile ?? '',
    dial,
  };
}

const opt = (v: string) => (v.trim() ? v.trim() : undefined);

/**
 * The account as the host will store it. The saved password never comes back from the host:
 * an empty password box means "keep the saved one" (the host keeps it when no secret is sent).
 */
export function accountValue(f: Form, before: PublicAccount | undefined): Record<string, unknown> {
  const value: Record<string, unknown> = {
    wsUrls: [f.ws1.trim(), f.ws2.trim()].filter(Boolean),
    uri: f.uri.trim(),
    authUser: opt(f.authUser),
    realm: opt(f.realm),
    displayName: opt(f.displayName),
    extension: opt(f.extension),
    tlsCaFile: opt(f.tlsCaFile),
    label: before?.label,
  };
  if (f.secret === 'ha1') value.ha1 = opt(f.ha1.toLowerCase());
  else if (f.password) value.password = f.password;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

/**
 * Account: server(s) (a WebSocket URL or a SIP server: shared/sip-server), SIP URI, auth user, password or HA1, realm, display name, and how
 * numbers are dialled. Validated here with the host's own schema; the host validates again,
 * saves, and re-registers at once.
 */
export function AccountSection({ settings, save }: { settings: PublicSettings | undefined; save: SaveSection }) {
  const account = settings?.account;
  const [form, setForm] = useState<Form>(() => formOf(account, settings?.preferences.dialFormat ?? preferencesSchema.parse({}).dialFormat));
  const [dirty, setDirty] = useState(false);
  const [note, setNote] = useState<{ text: string; error: boolean; field?: string } | undefined>(undefined);

  // Follow saves made elsewhere (the CLI, voispeed:U) until the user starts typing.
  useEffect(() => {
    if (!dirty && settings) setForm(formOf(settings.account, settings.preferences.dialFormat));
  }, [settings, dirty]);

  const set = (change: Partial<Form>) => {
    setDirty(true);
    setForm({ ...form, ...change });
  };
  const setDial = (change: Partial<DialFormatPref>) => set({ dial: { ...form.dial, ...change } });
  // Fields an administrator set: shown as they are, disabled, with a note (the host refuses a change anyway).
  const locked = new Set(settings?.locked ?? []);
  const lockOf = (field: keyof Form) => locked.has(`account.${field === 'ws1' || field === 'ws2' ? 'wsUrls' : field}`);
  const input = (field: keyof Form) => ({
    value: form[field] as string,
    disabled: lockOf(field),
    'aria-invalid': note?.field?.startsWith(`account.${field === 'ws1' || field === 'ws2' ? 'wsUrls' : field}`) ? ('true' as const) : undefined,
    onInput: (e: Event) => set({ [field]: (e.currentTarget as HTMLInputElement).value } as Partial<Form>),
  });

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!settings) return;
    const value = accountValue(form, account);
    const checked = accountSchema.safeParse(value);
    if (!checked.success) {
      const { field } = describeIssue(checked.error, 'account');
      // A server the user mistyped gets the whole rule in one sentence, not only the field's name.
      setNote({ text: field.startsWith('account.wsUrls.') ? t('errServerInvalid', fieldLabel(field)) : t('errInvalidSettings', fieldLabel(field)), error: true, field });
      return;
    }
    const preferences = { ...settings.preferences, dialFormat: { ...form.dial, ...(form.dial.outsideLinePrefix ? {} : { outsideLinePrefix: undefined }) } };
    const prefsChecked = preferencesSchema.safeParse(preferences);
    if (!prefsChecked.success) {
      const { field } = describeIssue(prefsChecked.error, 'preferences');
      setNote({ text: t('errInvalidSettings', fieldLabel(field)), error: true, field });
      return;
    }
    const failed = (await save('account', value)) ?? (await save('preferences', prefsChecked.data));
    if (failed) {
      setNote({ text: failed.text, error: true, ...(failed.field ? { field: failed.field } : {}) });
      return;
    }
    setDirty(false);
    setNote({ text: t('optionsSaved'), error: false });
  };

  return (
    <section id="account" data-testid="account">
      <h2>{t('optionsAccount')}</h2>
      <form class="form" onSubmit={(e) => void submit(e)} noValidate>
        <label>
          <span>{t('fieldWsUrls')}</span>
          <input data-testid="acc-ws1" placeholder="wss://pbx.example.com:8089/ws · sip:pbx.example.com;transport=tcp" spellcheck={false} {...input('ws1')} />
          <span class="muted" data-testid="acc-server-hint">{t('accServerHint')}</span>
          <Locked on={lockOf('ws1')} />
        </label>
        <label>
          <span>{t('accWsBackup')}</span>
          <input data-testid="acc-ws2" spellcheck={false} {...input('ws2')} />
        </label>
        <label>
          <span>{t('fieldTlsCaFile')}</span>
          <input data-testid="acc-tls-ca" spellcheck={false} placeholder="/etc/ssl/private-pbx-ca.pem" {...input('tlsCaFile')} />
        </label>
        <label>
          <span>{t('fieldUri')}</span>
          <input data-testid="acc-uri" placeholder="sip:201@pbx.example.com" {...input('uri')} />
          <Locked on={lockOf('uri')} />
        </label>
        <label>
          <span>{t('fieldAuthUser')}</span>
          <input data-testid="acc-auth-user" autoComplete="off" {...input('authUser')} />
          <Locked on={lockOf('authUser')} />
        </label>
        <fieldset disabled={locked.has('account.ha1')} data-testid="acc-secret">
          <legend>{t('accSecret')}</legend>
          <Locked on={locked.has('account.ha1')} />
          <label class="inline">
            <input type="radio" name="secret" data-testid="acc-secret-password" checked={form.secret === 'password'} onChange={() => set({ secret: 'password' })} /> {t('fieldPassword')}
          </label>
          <label class="inline">
            <input type="radio" name="secret" data-testid="acc-secret-ha1" checked={form.secret === 'ha1'} onChange={() => set({ secret: 'ha1' })} /> {t('fieldHa1')}
          </label>
          {form.secret === 'password' ? (
            <label>
              <span>{t('fieldPassword')}</span>
              <input
                type="password"
                data-testid="acc-password"
                autoComplete="new-password"
                placeholder={account?.passwordSaved ? t('accPasswordKeep') : ''}
                {...input('password')}
              />
              {account?.passwordSaved ? <span class="saved" data-testid="password-saved">{t('accPasswordSaved')}</span> : null}
            </label>
          ) : (
            <label>
              <span>{t('fieldHa1')}</span>
              <input data-testid="acc-ha1" autoComplete="off" spellcheck={false} placeholder={account?.ha1Saved ? t('accPasswordKeep') : 'md5(user:realm:password)'} {...input('ha1')} />
              {account?.ha1Saved ? <span class="saved" data-testid="ha1-saved">{t('accPasswordSaved')}</span> : null}
            </label>
          )}
          <label>
            <span>{t('fieldRealm')}</span>
            <input data-testid="acc-realm" {...input('realm')} />
          <Locked on={lockOf('realm')} />
          </label>
        </fieldset>
        <label>
          <span>{t('fieldDisplayName')}</span>
          <input data-testid="acc-display-name" {...input('displayName')} />
          <Locked on={lockOf('displayName')} />
        </label>
        <label>
          <span>{t('fieldExtension')}</span>
          <input data-testid="acc-extension" {...input('extension')} />
          <Locked on={lockOf('extension')} />
        </label>
        <fieldset data-testid="dial-format">
          <legend>{t('dialFormatTitle')}</legend>
          <label class="inline">
            <input type="radio" name="dial-style" data-testid="dial-national" checked={form.dial.style === 'national'} onChange={() => setDial({ style: 'national' })} /> {t('dialFormatNational')}
          </label>
          <label class="inline">
            <input type="radio" name="dial-style" data-testid="dial-e164" checked={form.dial.style === 'e164'} onChange={() => setDial({ style: 'e164' })} /> {t('dialFormatE164')}
          </label>
          <label>
            <span>{t('fieldCountry')}</span>
            <CountrySelect value={form.dial.defaultCountry} onChange={(c) => setDial({ defaultCountry: c })} testid="dial-country" />
          </label>
          <label>
            <span>{t('fieldOutsidePrefix')}</span>
            <input
              data-testid="dial-outside"
              inputMode="numeric"
              value={form.dial.outsideLinePrefix ?? ''}
              aria-invalid={note?.field === 'preferences.dialFormat.outsideLinePrefix' ? 'true' : undefined}
              onInput={(e) => setDial({ outsideLinePrefix: (e.currentTarget as HTMLInputElement).value.trim() })}
            />
          </label>
          {form.dial.style === 'national' ? (
            <label>
              <span>{t('fieldIntlPrefix')}</span>
              <input
                data-testid="dial-intl"
                inputMode="numeric"
                value={form.dial.internationalPrefix}
                aria-invalid={note?.field === 'preferences.dialFormat.internationalPrefix' ? 'true' : undefined}
                onInput={(e) => setDial({ internationalPrefix: (e.currentTarget as HTMLInputElement).value.trim() })}
              />
            </label>
          ) : null}
        </fieldset>
        <p>
          <button type="submit" data-testid="acc-save" disabled={!settings}>{t('optionsSave')}</button>{' '}
          <span class={note?.error ? 'error' : 'muted'} role={note?.error ? 'alert' : 'status'} data-testid="acc-note">{note?.text ?? ''}</span>
        </p>
      </form>
    </section>
  );
}

