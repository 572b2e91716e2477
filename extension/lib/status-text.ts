import type { UiState } from './ui-state';
import type { MessageKey } from './i18n';

export interface StatusLine {
  key: MessageKey;
  subs?: string[];
  tone: 'ok' | 'busy' | 'warn' | 'error';
}

/** The one-line registration summary shared by the popup and the options page. */
export function registrationLine(state: UiState): StatusLine {
  const c = state.connection;
  if (c.status === 'connecting') return { key: 'connConnecting', tone: 'busy' };
  if (c.status === 'disconnected') {
    switch (c.reason) {
      case 'host-not-found':
        return { key: 'connHostNotFound', tone: 'error' };
      case 'forbidden':
        return { key: 'connForbidden', tone: 'error' };
      case 'host-exited':
        return { key: 'connHostExited', tone: 'warn' };
      case 'version-mismatch':
        return { key: 'connVersionMismatch', subs: [c.message], tone: 'error' };
      default:
        return { key: 'connError', subs: [c.message], tone: 'error' };
    }
  }
  if (state.host?.role === 'secondary') {
    return { key: 'alreadyRunning', subs: [String(state.host.primaryPid ?? '?')], tone: 'warn' };
  }
  const r = state.registration;
  if (!r) return { key: 'connConnecting', tone: 'busy' };
  const ext = r.account?.extension ?? '';
  switch (r.state) {
    case 'registered':
      return r.account?.label
        ? { key: 'regRegisteredLabel', subs: [ext, r.account.label], tone: 'ok' }
        : { key: 'regRegisteredServer', subs: [ext, r.account?.server ?? ''], tone: 'ok' };
    case 'connecting':
      return { key: 'regConnecting', subs: [ext], tone: 'busy' };
    case 'unconfigured':
      return { key: 'regUnconfigured', tone: 'warn' };
    case 'failed':
      return { key: 'regFailed', tone: 'error' };
    case 'unregistered':
      return { key: 'regUnregistered', tone: 'warn' };
  }
}
