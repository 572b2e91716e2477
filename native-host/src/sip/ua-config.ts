import type { UAConfiguration } from 'jssip/lib/UA';
import type { Account } from '../../../shared/protocol/account';
import { parseServer, serverHost } from '../../../shared/sip-server/server-address';
import { LOCAL_PLACEHOLDER } from './transport/sip-socket';
import { domainOf, userOf } from './sip-uri';

export const USER_AGENT = 'VOIspeed-UI-browser';

/**
 * JsSIP retries a lost WebSocket after 2, 5, 10… s by default; the product promises to be
 * registered again within 5 s of the PBX coming back, so retries stay 1–2 s apart.
 */
export const RECOVERY_MIN_S = 1;
export const RECOVERY_MAX_S = 2;

/** The account summary shown to users and extensions: never a secret. */
export function accountSummary(account: Account) {
  const server = serverHost(account.wsUrls[0] ?? '');
  return {
    aor: account.uri,
    extension: account.extension ?? userOf(account.uri),
    server,
    ...(account.label ? { label: account.label } : {}),
  };
}

export function buildUaConfiguration(
  account: Account,
  sockets: UAConfiguration['sockets'],
  appVersion: string,
): UAConfiguration {
  const config: UAConfiguration = {
    sockets,
    uri: account.uri,
    authorization_user: account.authUser ?? userOf(account.uri),
    register: true,
    register_expires: 300,
    connection_recovery_min_interval: RECOVERY_MIN_S,
    connection_recovery_max_interval: RECOVERY_MAX_S,
    user_agent: `${USER_AGENT}/${appVersion}`,
    session_timers: false,
  };
  const primary = parseServer(account.wsUrls[0]);
  if (primary.ok && primary.server.kind === 'sip') {
    // The socket writes the real local address over the placeholder once it is bound
    // (transport/sip-socket.ts); JsSIP takes the Via host from this Contact.
    const user = userOf(account.uri);
    config.contact_uri = `sip:${/^[A-Za-z0-9._~!$&'()*+,;=-]+$/.test(user) ? user : 'voispeed'}@${LOCAL_PLACEHOLDER};transport=${primary.server.transport ?? 'udp'}`;
  }
  if (account.displayName) config.display_name = account.displayName;
  if (account.ha1) {
    config.ha1 = account.ha1.toLowerCase();
    config.realm = account.realm ?? domainOf(account.uri);
  } else if (account.password !== undefined) {
    config.password = account.password;
    if (account.realm) config.realm = account.realm;
  }
  return config;
}
