import { decodePercent } from '../../../shared/text/percent';

/**
 * The parts of a SIP address, one definition for the whole host (issue 14): the account's AOR
 * (authorization user, realm, the domain a bare number is dialled at), Integra's numbers and its
 * "internal call" test. Total: any string in, a string out ('' when the part is absent). No JsSIP.
 */

/** The URI of a name-addr (`"Name" <sip:u@h>;p`) or addr-spec (`sip:u@h;p`). */
export function uriOf(entry: string): string {
  let rest = entry.trim();
  if (rest.startsWith('"')) {
    // A quoted display name may hold <, > and escaped quotes.
    let i = 1;
    while (i < rest.length && rest[i] !== '"') i += rest[i] === '\\' ? 2 : 1;
    rest = i >= rest.length ? '' : rest.slice(i + 1);
  }
  const lt = rest.indexOf('<');
  if (lt >= 0) {
    const gt = rest.indexOf('>', lt);
    return gt < 0 ? '' : rest.slice(lt + 1, gt).trim();
  }
  return rest.split(';')[0]!.trim();
}

/** The user part of a sip:/sips: URI, or the number of a tel: URI, percent-decoded; '' if none. */
export function userOf(entry: string): string {
  const uri = uriOf(entry);
  const tel = /^tel:([^;?]*)/i.exec(uri);
  if (tel) return decodePercent(tel[1]!);
  const sip = /^sips?:([^@;?]*)@/i.exec(uri);
  return sip ? decodePercent(sip[1]!) : '';
}

/** The host of a sip:/sips: URI with its port, lower-case, without parameters or headers; '' if none. */
export function hostPortOf(entry: string): string {
  return /^sips?:[^@]*@([^;?>\s]+)/i.exec(uriOf(entry))?.[1]?.toLowerCase() ?? '';
}

/** The domain of a sip:/sips: URI: its host without the port, lower-case; '' if none. */
export function domainOf(entry: string): string {
  const hostPort = hostPortOf(entry);
  // An IPv6 reference keeps its brackets; a port follows the last colon outside them.
  const v6 = /^\[[^\]]*\]/.exec(hostPort);
  if (v6) return v6[0];
  return hostPort.split(':')[0] ?? '';
}
