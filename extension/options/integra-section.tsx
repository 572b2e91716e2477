import { useEffect, useState } from 'preact/hooks';
import { INTEGRA_EVENTS, PLACEHOLDER_KEYS, type IntegraEventName, type PlaceholderKey, type Plan } from '../../shared/integra';
import type { Execution } from '../../shared/protocol';
import type { TemplateProblem } from '../../shared/integra/url';
import type { PublicSettings } from '../../shared/settings';
import { defaultIntegra, integraRuleSchema, integraSettingsSchema, type IntegraRule, type IntegraSettings } from '../../shared/settings/integra';
import { t, type MessageKey } from '../lib/i18n';
import { Locked } from './locked-note';
import type { SaveSection } from './options-view';

export type TestIntegra = (event: IntegraEventName, rule: IntegraRule) => Promise<{ values: Record<string, string>; plans: { ruleId: string; plan: Plan }[] }>;

const EVENT_LABEL: Record<IntegraEventName, MessageKey> = {
  CALL_IN: 'integraEvCallIn',
  CALL_FORWARD_IN: 'integraEvForwardIn',
  CALL_OUT: 'integraEvCallOut',
  CALL_ACCEPT: 'integraEvAccept',
  CALL_CLOSE: 'integraEvClose',
  CALL_ACTIVE: 'integraEvActive',
  CALL_BUSY: 'integraEvBusy',
};
const PLACEHOLDER_LABEL: Record<PlaceholderKey, MessageKey> = {
  '00': 'integraPh00',
  '01': 'integraPh01',
  '02': 'integraPh02',
  '03': 'integraPh03',
  '04': 'integraPh04',
  '05': 'integraPh05',
  '06': 'integraPh06',
  '07': 'integraPh07',
  '08': 'integraPh08',
  '09': 'integraPh09',
};
const RESULT_LABEL: Record<Execution['result'], MessageKey> = {
  running: 'integraResRunning',
  ok: 'integraResOk',
  failed: 'integraResFailed',
  timeout: 'integraResTimeout',
  error: 'integraResError',
  opened: 'integraResOpened',
  focused: 'integraResFocused',
};

/** A template problem's code (shared/integra/url.ts) → its text; others keep the schema's English. */
const TEMPLATE_REASONS: Partial<Record<TemplateProblem['reason'], MessageKey>> = {
  'host-part': 'integraErrHostPart',
  program: 'integraErrProgram',
  scheme: 'integraErrScheme',
};

/** The schema's reasons, in the user's language when we know them: by issue code, field and reason code, never by the English words. */
function reasonText(issue: { path?: PropertyKey[]; message: string; code?: string; params?: unknown; reason?: TemplateProblem['reason'] | undefined }): string {
  const reason = issue.reason ?? (issue.params as { reason?: TemplateProblem['reason'] } | undefined)?.reason;
  const key = reason ? TEMPLATE_REASONS[reason] : undefined;
  if (key) return t(key);
  const field = issue.path?.[issue.path.length - 1];
  if (field === 'events' && issue.code === 'too_small') return t('integraErrEvents');
  if (field === 'internalPattern' && issue.code === 'custom') return t('integraErrPattern');
  return issue.message;
}

function describe(error: { issues: { path: PropertyKey[]; message: string; code?: string; params?: unknown }[] }): { text: string; rule?: number } {
  const issue = error.issues[0];
  if (!issue) return { text: 'invalid' };
  const [first, index] = issue.path;
  if (first === 'rules' && typeof index === 'number') return { text: t('integraErrRule', [String(index + 1), reasonText(issue)]), rule: index };
  return { text: reasonText(issue) };
}

function newRule(): IntegraRule {
  return { id: `r${Date.now().toString(36)}`, enabled: true, events: ['CALL_IN'], action: 'url', template: '' };
}

function PlanView({ plan }: { plan: Plan }) {
  if (plan.kind === 'url') {
    return (
      <p data-testid="integra-test-url">
        {t('integraWouldOpen')} <code>{plan.url}</code>
      </p>
    );
  }
  if (plan.kind === 'error') return <p class="error" data-testid="integra-test-error">{t('integraRefused', reasonText(plan))}</p>;
  return (
    <div data-testid="integra-test-command">
      <p>{plan.viaCmd ? t('integraWouldRunCmd') : t('integraWouldRun')}</p>
      <ol class="argv">
        {[plan.program, ...plan.args].map((a, i) => (
          <li key={i}>
            <code>{JSON.stringify(a)}</code>
          </li>
        ))}
      </ol>
    </div>
  );
}

function RuleEditor(props: {
  index: number;
  rule: IntegraRule;
  invalid: boolean;
  disabled: boolean;
  onChange(rule: IntegraRule): void;
  onRemove(): void;
  test: TestIntegra;
}) {
  const { rule, index } = props;
  const [result, setResult] = useState<{ plans: { plan: Plan }[]; event: IntegraEventName } | { error: string } | undefined>(undefined);
  const set = (change: Partial<IntegraRule>) => {
    setResult(undefined);
    props.onChange({ ...rule, ...change });
  };
  const runTest = async () => {
    const parsed = integraRuleSchema.safeParse(rule);
    if (!parsed.success) {
      setResult({ error: parsed.error.issues[0] ? reasonText(parsed.error.issues[0]) : '' });
      return;
    }
    const event = parsed.data.events[0]!;
    try {
      const r = await props.test(event, parsed.data);
      setResult({ plans: r.plans, event });
    } catch (err) {
      setResult({ error: (err as Error).message });
    }
  };
  return (
    <fieldset class="form integra-rule" data-testid="integra-rule" aria-invalid={props.invalid} style={{ maxWidth: '48em', marginBottom: '12px' }}>
      <legend>{t('integraRuleN', String(index + 1))}</legend>
      <label class="inline">
        <input type="checkbox" data-testid="integra-rule-enabled" checked={rule.enabled} disabled={props.disabled} onChange={(e) => set({ enabled: (e.currentTarget as HTMLInputElement).checked })} />
        {t('integraRuleEnabled')}
      </label>
      <label>
        <span>{t('integraAction')}</span>
        <select data-testid="integra-rule-action" value={rule.action} disabled={props.disabled} onChange={(e) => set({ action: (e.currentTarget as HTMLSelectElement).value as IntegraRule['action'] })}>
          <option value="url">{t('integraActionUrl')}</option>
          <option value="command">{t('integraActionCommand')}</option>
        </select>
      </label>
      <label>
        <span>{t('integraTemplate')}</span>
        <input
          type="text"
          class="integra-template"
          style={{ minWidth: '36em' }}
          data-testid="integra-rule-template"
          spellcheck={false}
          value={rule.template}
          disabled={props.disabled}
          placeholder={rule.action === 'url' ? 'https://crm.example/find?n=!01&id=!05' : '/usr/bin/logger -t pbx !02 !01 !05'}
          aria-invalid={props.invalid}
          onInput={(e) => set({ template: (e.currentTarget as HTMLInputElement).value })}
        />
      </label>
      <div role="group" aria-label={t('integraEvents')}>
        {INTEGRA_EVENTS.map((ev) => (
          <label class="inline" key={ev}>
            <input
              type="checkbox"
              data-testid={`integra-rule-event-${ev}`}
              checked={rule.events.includes(ev)}
              disabled={props.disabled}
              onChange={(e) => {
                const on = (e.currentTarget as HTMLInputElement).checked;
                set({ events: INTEGRA_EVENTS.filter((x) => (x === ev ? on : rule.events.includes(x))) });
              }}
            />
            {t(EVENT_LABEL[ev])}
          </label>
        ))}
      </div>
      <p>
        <button type="button" data-testid="integra-rule-test" disabled={props.disabled} onClick={() => void runTest()}>{t('integraTest')}</button>{' '}
        <button type="button" data-testid="integra-rule-remove" disabled={props.disabled} onClick={props.onRemove}>{t('integraRemoveRule')}</button>
      </p>
      {result ? (
        <div class="integra-test" data-testid="integra-test-result" role="status">
          {'error' in result ? (
            <p class="error">{t('integraRefused', result.error)}</p>
          ) : (
            <>
              <p class="muted">{t('integraTestSample', t(EVENT_LABEL[result.event]))}</p>
              {result.plans.map((p, i) => <PlanView key={i} plan={p.plan} />)}
            </>
          )}
        </div>
      ) : null}
    </fieldset>
  );
}

function ExecutionList({ entries }: { entries: Execution[] | undefined }) {
  if (!entries) return null;
  if (entries.length === 0) return <p class="muted">{t('integraLogEmpty')}</p>;
  return (
    <table class="integra-log" data-testid="integra-log">
      <thead>
        <tr>
          <th>{t('integraLogTime')}</th>
          <th>{t('integraLogEvent')}</th>
          <th>{t('integraLogRule')}</th>
          <th>{t('integraLogResult')}</th>
          <th>{t('integraLogExit')}</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => (
          <tr key={e.seq} data-testid="integra-log-row" data-result={e.result} data-event={e.event} title={e.plan.kind === 'url' ? e.plan.url : e.plan.kind === 'command' ? [e.plan.program, ...e.plan.args].join(' ') : e.plan.message}>
            <td>{new Date(e.startedAt ?? e.at).toLocaleTimeString()}</td>
            <td>{e.event}</td>
            <td>{e.ruleId}</td>
            <td>
              {t(RESULT_LABEL[e.result])}
              {e.message ? <span class="muted"> — {e.message}</span> : null}
            </td>
            <td>{e.exitCode ?? (e.signal ? e.signal : '')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * Integra (DESIGN section 5): on/off, "only on external calls" and its pattern, the rules (each a
 * command or a URL on chosen events) with a Test button that shows exactly what would run or
 * open, the placeholders, and the last 50 executions.
 */
export function IntegraSection({ settings, save, test, log }: { settings: PublicSettings | undefined; save: SaveSection; test: TestIntegra; log: Execution[] | undefined }) {
  const saved = settings?.integra;
  const [draft, setDraft] = useState<IntegraSettings>(saved ?? defaultIntegra());
  const [dirty, setDirty] = useState(false);
  const [note, setNote] = useState<{ text: string; error: boolean; rule?: number } | undefined>(undefined);
  useEffect(() => {
    if (saved && !dirty) setDraft(saved);
  }, [saved, dirty]);

  const edit = (change: Partial<IntegraSettings>) => {
    setDraft({ ...draft, ...change });
    setDirty(true);
    setNote(undefined);
  };
  const onSave = async () => {
    const parsed = integraSettingsSchema.safeParse(draft);
    if (!parsed.success) {
      setNote({ ...describe(parsed.error), error: true });
      return;
    }
    const failed = await save('integra', parsed.data);
    if (failed) setNote({ text: failed.text, error: true });
    else {
      setDirty(false);
      setNote({ text: t('optionsSaved'), error: false });
    }
  };
  const off = !saved;
  // Fields an administrator set (issue 16): disabled, with a note.
  const locked = new Set(settings?.locked ?? []);
  const lk = (field: string) => locked.has(`integra.${field}`);

  return (
    <section id="integra" data-testid="integra">
      <h2>{t('integraTitle')}</h2>
      <p class="muted">{t('integraIntro')}</p>
      <div class="form">
        <label class="inline">
          <input type="checkbox" data-testid="integra-enabled" checked={draft.enabled} disabled={off || lk('enabled')} onChange={(e) => edit({ enabled: (e.currentTarget as HTMLInputElement).checked })} />
          {t('integraEnabled')} <Locked on={lk('enabled')} />
        </label>
        <label class="inline">
          <input type="checkbox" data-testid="integra-only-external" checked={draft.onlyExternal} disabled={off || lk('onlyExternal')} onChange={(e) => edit({ onlyExternal: (e.currentTarget as HTMLInputElement).checked })} />
          {t('integraOnlyExternal')} <Locked on={lk('onlyExternal')} />
        </label>
        <label>
          <span>{t('integraInternalPattern')}</span>
          <input type="text" data-testid="integra-internal-pattern" spellcheck={false} value={draft.internalPattern} disabled={off || lk('internalPattern')} onInput={(e) => edit({ internalPattern: (e.currentTarget as HTMLInputElement).value })} />
          <Locked on={lk('internalPattern')} />
        </label>
        <p class="muted">{t('integraInternalHint')}</p>
      </div>
      <h3>
        {t('integraRules')} <Locked on={lk('rules')} />
      </h3>
      {draft.rules.map((rule, i) => (
        <RuleEditor
          key={rule.id}
          index={i}
          rule={rule}
          invalid={note?.rule === i}
          disabled={off || lk('rules')}
          test={test}
          onChange={(r) => edit({ rules: draft.rules.map((x, j) => (j === i ? r : x)) })}
          onRemove={() => edit({ rules: draft.rules.filter((_, j) => j !== i) })}
        />
      ))}
      <p>
        <button type="button" data-testid="integra-add-rule" disabled={off || lk('rules') || draft.rules.length >= 20} onClick={() => edit({ rules: [...draft.rules, newRule()] })}>
          {t('integraAddRule')}
        </button>{' '}
        <button type="button" data-testid="integra-save" disabled={off} onClick={() => void onSave()}>{t('optionsSave')}</button>
      </p>
      <p class={note?.error ? 'error' : 'muted'} role={note?.error ? 'alert' : 'status'} data-testid="integra-note">{note?.text ?? ''}</p>
      <details>
        <summary>{t('integraPlaceholders')}</summary>
        <dl class="integra-placeholders">
          {PLACEHOLDER_KEYS.map((k) => [<dt key={`t${k}`}><code>!{k}</code></dt>, <dd key={`d${k}`}>{t(PLACEHOLDER_LABEL[k])}</dd>])}
        </dl>
        <p class="muted">{t('integraNoShell')}</p>
      </details>
      <h3>{t('integraLog')}</h3>
      <ExecutionList entries={log} />
    </section>
  );
}
