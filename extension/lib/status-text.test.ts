import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { HostInfo, Registration } from '../../shared/protocol';
import type { ConnectionState } from '../background/native-port';
import { registrationLine } from './status-text';
import type { UiState } from './ui-state';

const connected: ConnectionState = {
  status: 'connected',
  hello: { protocol: 1, app: '1.0.0', pid: 10, role: 'primary' },
};
const primary: HostInfo = { pid: 10, app: '1.0.0', protocol: 1, role: 'primary', uptimeMs: 5, home: '/h' };
const account = { aor: 'sip:1001@pbx.example', extension: '1001', server: 'wss://pbx.example/ws' };

function state(over: Partial<UiState>): UiState {
  return { connection: connected, host: primary, registration: undefined, calls: [], browser: 'chrome', ...over };
}
const reg = (r: Partial<Registration>): Registration => ({ state: 'registered', since: 1, ...r });
const disconnected = (reason: Extract<ConnectionState, { status: 'disconnected' }>['reason'], message = 'why') =>
  ({ status: 'disconnected', reason, message, retryAt: undefined }) as const;

describe('registrationLine', () => {
  it('connecting → connConnecting, whatever the registration says', () => {
    expect(
      registrationLine(state({ connection: { status: 'connecting', attempt: 3 }, registration: reg({ account }) })),
    ).toEqual({ key: 'connConnecting', tone: 'busy' });
  });

  it.each([
    ['host-not-found', { key: 'connHostNotFound', tone: 'error' }],
    ['forbidden', { key: 'connForbidden', tone: 'error' }],
    ['host-exited', { key: 'connHostExited', tone: 'warn' }],
    ['version-mismatch', { key: 'connVersionMismatch', subs: ['protocol 2 vs 1'], tone: 'error' }],
    ['error', { key: 'connError', subs: ['protocol 2 vs 1'], tone: 'error' }],
  ] as const)('disconnected (%s) → its own line', (reason, expected) => {
    // The last registration seen must not leak into a disconnected line.
    expect(registrationLine(state({ connection: disconnected(reason, 'protocol 2 vs 1'), registration: reg({ account }) }))).toEqual(
      expected,
    );
  });

  it('secondary host → alreadyRunning with the primary pid', () => {
    expect(registrationLine(state({ host: { ...primary, role: 'secondary', primaryPid: 4321 }, registration: reg({ account }) }))).toEqual({
      key: 'alreadyRunning',
      subs: ['4321'],
      tone: 'warn',
    });
  });

  it('secondary host with an unknown primary pid → "?"', () => {
    expect(registrationLine(state({ host: { ...primary, role: 'secondary' } }))).toEqual({
      key: 'alreadyRunning',
      subs: ['?'],
      tone: 'warn',
    });
  });

  it('connected, no registration yet → connConnecting', () => {
    expect(registrationLine(state({ registration: undefined }))).toEqual({ key: 'connConnecting', tone: 'busy' });
  });

  it('connected, host info not yet known → falls through to the registration', () => {
    expect(registrationLine(state({ host: undefined, registration: reg({ state: 'failed' }) }))).toEqual({
      key: 'regFailed',
      tone: 'error',
    });
  });

  it('registered with a label → regRegisteredLabel [extension, label]', () => {
    expect(registrationLine(state({ registration: reg({ account: { ...account, label: 'sandbox' } }) }))).toEqual({
      key: 'regRegisteredLabel',
      subs: ['1001', 'sandbox'],
      tone: 'ok',
    });
  });

  it('registered without a label → regRegisteredServer [extension, server]', () => {
    expect(registrationLine(state({ registration: reg({ account }) }))).toEqual({
      key: 'regRegisteredServer',
      subs: ['1001', 'wss://pbx.example/ws'],
      tone: 'ok',
    });
  });

  it('an empty label counts as no label', () => {
    expect(registrationLine(state({ registration: reg({ account: { ...account, label: '' } }) })).key).toBe(
      'regRegisteredServer',
    );
  });

  it('registered without an account summary → empty substitutions, not "undefined"', () => {
    expect(registrationLine(state({ registration: reg({}) }))).toEqual({
      key: 'regRegisteredServer',
      subs: ['', ''],
      tone: 'ok',
    });
  });

  it('registration connecting → regConnecting [extension]', () => {
    expect(registrationLine(state({ registration: reg({ state: 'connecting', account: { ...account, extension: '204' } }) }))).toEqual({
      key: 'regConnecting',
      subs: ['204'],
      tone: 'busy',
    });
  });

  it.each([
    ['unconfigured', { key: 'regUnconfigured', tone: 'warn' }],
    ['failed', { key: 'regFailed', tone: 'error' }],
    ['unregistered', { key: 'regUnregistered', tone: 'warn' }],
  ] as const)('registration %s → its own line', (s, expected) => {
    expect(registrationLine(state({ registration: reg({ state: s, account, cause: 'Authentication Error' }) }))).toEqual(expected);
  });
});

describe('registrationLine: every line can be rendered', () => {
  type Catalogue = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;
  const en = JSON.parse(
    readFileSync(fileURLToPath(new URL('../_locales/en/messages.json', import.meta.url)), 'utf8'),
  ) as Catalogue;

  const samples: UiState[] = [
    state({ connection: { status: 'connecting', attempt: 1 } }),
    ...(['host-not-found', 'forbidden', 'host-exited', 'version-mismatch', 'error'] as const).map((r) =>
      state({ connection: disconnected(r) }),
    ),
    state({ host: { ...primary, role: 'secondary', primaryPid: 1 } }),
    state({}),
    state({ registration: reg({ account: { ...account, label: 'x' } }) }),
    state({ registration: reg({ account }) }),
    ...(['connecting', 'unconfigured', 'failed', 'unregistered'] as const).map((s) => state({ registration: reg({ state: s }) })),
  ];

  it.each(samples.map((s, i) => [i, s] as const))('sample %i: the key exists and gets as many substitutions as it has placeholders', (_i, s) => {
    const line = registrationLine(s);
    const entry = en[line.key];
    expect(entry, line.key).toBeDefined();
    const wanted = new Set(Object.values(entry!.placeholders ?? {}).map((p) => p.content)).size;
    expect(line.subs?.length ?? 0).toBe(wanted);
  });
});
