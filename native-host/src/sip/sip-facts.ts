import type { IncomingRequest, IncomingResponse, OutgoingRequest } from 'jssip/lib/SIPMessage';

/** SIP headers Integra needs that CallInfo does not carry (DESIGN section 5). Host-internal. */
export const SIP_FACT_HEADERS = ['From', 'To', 'Date', 'Diversion', 'History-Info', 'P-Asserted-Identity', 'P-Called-Party-ID'] as const;
export type SipFactHeader = (typeof SIP_FACT_HEADERS)[number];
export interface SipFacts {
  id: string;
  /** The incoming INVITE, a response to our INVITE, a request that ended the call, or our own final answer. */
  message: 'invite' | 'response' | 'request' | 'local';
  /** For `local`: the status we answered an incoming call with (486 busy, 603 decline). */
  status?: number;
  receivedAt: number;
  /** Raw values, at most 10 per header and 4096 characters each: still untrusted text. */
  headers: Partial<Record<SipFactHeader, string[]>>;
}

/** The fact headers of one SIP message, capped; throws only if JsSIP's message itself does. */
export function readFactHeaders(sip: IncomingRequest | IncomingResponse | OutgoingRequest): SipFacts['headers'] {
  const headers: SipFacts['headers'] = {};
  for (const name of SIP_FACT_HEADERS) {
    const values = (sip as { getHeaders?(n: string): string[] }).getHeaders?.(name) ?? [];
    if (values.length) headers[name] = values.slice(0, 10).map((v) => String(v).slice(0, 4096));
  }
  return headers;
}
