import type { LdapSettings } from '../../../shared/settings/directory';

/**
 * The settings an LDAP lookup can run with, or why not. Apart from ldap-directory.ts, which loads
 * ldapts (its own file in dist/host, scripts/build.mjs): asking whether LDAP is on loads nothing.
 */
export function ldapReady(s: LdapSettings): string | undefined {
  if (!s.enabled) return 'off';
  if (!s.url) return 'no server URL';
  if (!s.baseDn) return 'no base DN';
  return undefined;
}
