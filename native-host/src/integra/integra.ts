import { placeholderValues, planRule, quotingFor, type EventFacts, type IntegraEventName, type Plan } from '../../../shared/integra';
import { ErrorCode, ProtocolError, type CallInfo, type Execution, type ParamsOf, type ResultOf, type integra as protocol } from '../../../shared/protocol';
import { DEFAULT_INTERNAL_PATTERN, type IntegraRule, type IntegraSettings } from '../../../shared/settings/integra';
import type { Logger } from '../log';
import type { SipFacts } from '../sip/sip-facts';
import { CommandRunner, type CommandRunnerOptions } from './command-runner';
import { EventDeriver, type IntegraEvent } from './event-deriver';
import { ExecutionLog } from './execution-log';
import { domainOf, userOf } from '../sip/sip-uri';

export interface IntegraDeps {
  log: Logger;
  platform: NodeJS.Platform;
  settings(): IntegraSettings;
  /** Our own AOR (`sip:1001@pbx`): !00 and the "same domain" internal rule. */
  aor(): string | undefined;
  /**
   * Asks the browser that owns the UI to open (or focus) the page; rejects with DISCONNECTED when
   * none is connected and TIMEOUT when it did not answer within `timeoutMs`.
   */
  openInBrowser(params: ParamsOf<typeof protocol.open>, timeoutMs: number): Promise<ResultOf<typeof protocol.open>>;
  /** Tells every client about a new or finished execution. */
  announce(entry: Execution): void;
  runner?: Partial<Omit<CommandRunnerOptions, 'log'>>;
  /** How long the extension may take to open a tab before the execution counts as failed. */
  openTimeoutMs?: number;
  now?: () => number;
}

export interface Integra {
  onSipFacts(facts: SipFacts): void;
  onCall(call: CallInfo): void;
  test(params: ParamsOf<typeof protocol.test>): ResultOf<typeof protocol.test>;
  log(): ResultOf<typeof protocol.log>;
  stop(): void;
}

/** What the Integra log says when the browser did not open a page. */
function openFailure(err: unknown): string {
  if (err instanceof ProtocolError && err.code === ErrorCode.DISCONNECTED) return 'no browser is connected to open the page';
  if (err instanceof ProtocolError && err.code === ErrorCode.TIMEOUT) return 'the browser did not open the page in time';
  return String((err as Error)?.message ?? err).slice(0, 500) || 'not opened';
}

/**
 * Internal (the seed's "only on external calls"): the remote number matches the user's pattern
 * (default up to 4 digits), or the far end is a named user (not a number) on our own SIP domain.
 */
export function isInternal(call: CallInfo, pattern: string, ownDomain: string): boolean {
  let re: RegExp;
  try {
    re = new RegExp(pattern);
  } catch {
    re = new RegExp(DEFAULT_INTERNAL_PATTERN);
  }
  if (call.remote.number && re.test(call.remote.number)) return true;
  return ownDomain !== '' && domainOf(call.remote.uri) === ownDomain && /[A-Za-z]/.test(userOf(call.remote.uri));
}

/**
 * Integra (DESIGN section 5): derives the seven events from the calls, and for each enabled rule
 * that listens to one runs its command (no shell, bounded, timed out) or asks the extension to
 * open its URL; keeps the last 50 executions.
 */
export function startIntegra(deps: IntegraDeps): Integra {
  const now = deps.now ?? Date.now;
  const log = deps.log.child({ module: 'integra' });
  const quoting = quotingFor(deps.platform);
  const deriver = new EventDeriver(() => userOf(deps.aor() ?? ''), now);
  const executions = new ExecutionLog(50);
  const runner = new CommandRunner({ log, platform: deps.platform, now, ...deps.runner });

  const record = (entry: Omit<Execution, 'seq'>) => {
    const e = executions.add(entry);
    deps.announce(e);
    return e;
  };
  const finish = (seq: number, change: Partial<Execution>) => {
    const e = executions.update(seq, change);
    if (e) deps.announce(e);
  };

  function execute(rule: IntegraRule, event: IntegraEvent, plan: Plan): void {
    const base = {
      at: event.facts.time,
      event: event.facts.event,
      callId: event.call.id,
      ruleId: rule.id,
      plan,
      callStartedAt: event.call.startedAt,
    };
    if (plan.kind === 'error') {
      log.warn({ rule: rule.id, event: base.event, message: plan.message }, 'integra: rule not run');
      record({ ...base, result: 'error', message: plan.message, finishedAt: now() });
      return;
    }
    if (plan.kind === 'url') {
      const startedAt = now();
      // Asked before the log entry is announced: the browser gets the request ahead of that push.
      const opening = deps.openInBrowser({ url: plan.url, callId: event.call.id, ruleId: rule.id, event: base.event }, deps.openTimeoutMs ?? 10_000);
      const entry = record({ ...base, result: 'running', startedAt });
      opening.then(
        ({ tab }) => finish(entry.seq, { result: tab === 'created' ? 'opened' : 'focused', finishedAt: now() }),
        (err: unknown) => finish(entry.seq, { result: 'error', message: openFailure(err), finishedAt: now() }),
      );
      return;
    }
    // A command starts on the next turn: Integra hears a call first (onChangeFirst, for the CRM tab
    // above), and starting a process takes milliseconds the ringtone and the call push need not wait.
    setImmediate(() => {
      const entry = record({ ...base, result: 'running' });
      const label = { rule: rule.id, event: base.event, callId: event.call.id, program: plan.program };
      void runner
        .run(plan, label, (at) => finish(entry.seq, { startedAt: at }))
        .then((outcome) => {
          if (outcome.result === 'error') finish(entry.seq, { result: 'error', message: outcome.message, finishedAt: outcome.finishedAt });
          else finish(entry.seq, { result: outcome.result, exitCode: outcome.exitCode, signal: outcome.signal, finishedAt: outcome.finishedAt });
        });
    });
  }

  function fire(event: IntegraEvent): void {
    const settings = deps.settings();
    if (!settings.enabled) return;
    if (settings.onlyExternal && isInternal(event.call, settings.internalPattern, domainOf(deps.aor() ?? ''))) return;
    const rules = settings.rules.filter((r) => r.enabled && r.events.includes(event.facts.event));
    if (rules.length === 0) return;
    const values = placeholderValues(event.facts);
    for (const rule of rules) {
      try {
        execute(rule, event, planRule(rule, values, quoting));
      } catch (err) {
        log.error({ err, rule: rule.id }, 'integra: rule failed');
      }
    }
  }

  return {
    onSipFacts: (facts) => deriver.facts(facts),
    onCall(call) {
      try {
        for (const event of deriver.change(call)) fire(event);
      } catch (err) {
        log.error({ err }, 'integra: event failed');
      }
    },
    test({ event, rule }) {
      const facts: EventFacts = {
        event: event as IntegraEventName,
        ownExtension: userOf(deps.aor() ?? ''),
        remoteNumber: '0261616161',
        didNumber: '0299999999',
        time: now(),
        callId: `test-${now().toString(36)}`,
        originalCaller: '0261616161',
        originalCalled: '0299999999',
        extId: 'EXT-1',
      };
      const values = placeholderValues(facts);
      const rules = rule ? [rule] : deps.settings().rules.filter((r) => r.enabled && r.events.includes(event));
      return { values, plans: rules.map((r) => ({ ruleId: r.id, plan: planRule(r, values, quoting) })) };
    },
    log: () => ({ entries: executions.list() }),
    stop() {
      runner.stop();
    },
  };
}
