import type { Passwords } from './users';

/**
 * Pieces of kamailio.cfg that every sandbox profile shares (WebSocket + rtpengine, and the classic
 * UDP/TCP/TLS one): value quoting, the module list and parameters, the static users.
 */

/** A value placed inside a double-quoted Kamailio string. */
export function quoted(value: string): string {
  if (!/^[A-Za-z0-9._+:/@-]*$/.test(value)) throw new Error(`unsafe value for kamailio.cfg: ${JSON.stringify(value)}`);
  return `"${value}"`;
}

/** Modules both profiles load, in load order; a profile appends its own (websocket, tls...). */
export const COMMON_MODULES = [
  'kex',
  'tm',
  'tmx',
  'sl',
  'rr',
  'pv',
  'maxfwd',
  'textops',
  'siputils',
  'xlog',
  'sanity',
  'usrloc',
  'registrar',
  'nathelper',
  'auth',
  'htable',
] as const;

export function loadModules(names: readonly string[]): string {
  return names.map((n) => `loadmodule "${n}.so"`).join('\n');
}

export const COMMON_MODPARAMS = `# Registrations live in memory: a restarted sandbox starts empty and every UA re-registers.
modparam("usrloc", "db_mode", 0)
# A WebSocket client that went away without un-REGISTER (tab closed, test killed) is dropped at
# once, instead of being forked to (and failing) until its registration expires.
modparam("usrloc", "handle_lost_tcp", 1)
modparam("registrar", "max_expires", 3600)
# No GRUUs: a phone that gets one (Linphone asks for it) puts \`;gr=\` in its dialog Contact, and
# in-dialog requests toward that URI (the sandbox domain, which does not resolve) never arrived:
# the UI's ACK and BYE were lost (478). Without GRUU every UA's own Contact is used, as most PBXs do.
modparam("registrar", "gruu_enabled", 0)
modparam("registrar", "received_avp", "$avp(RECEIVED)")
modparam("nathelper", "received_avp", "$avp(RECEIVED)")
modparam("nathelper", "natping_interval", 0)
# Two Record-Route headers when the transport changes (WebSocket <-> UDP).
modparam("rr", "enable_double_rr", 1)
modparam("rr", "append_fromtag", 1)
modparam("htable", "htable", "users=>size=4;autoexpire=0;")`;

/** Static users: extension -> plain password (digest realm = the domain). */
export function usersRoute(domain: string, passwords: Passwords): string {
  const users = Object.entries(passwords)
    .map(([user, pw]) => `    $sht(users=>${user}) = ${quoted(pw)};`)
    .join('\n');
  return `# Static users: extension -> plain password (digest realm ${domain}).
event_route[htable:mod-init] {
${users}
}`;
}

/** The core settings every profile starts with (logging, no DNS, loopback aliases). */
export const CORE_SETTINGS = `debug=2
log_stderror=yes
memdbg=5
memlog=5
children=2
tcp_children=2
auto_aliases=no
dns=no
rev_dns=no
dns_try_ipv6=no
dns_try_naptr=no
use_dns_cache=no`;
