/**
 * Just enough of a SIP message for the transport: request or response, the top Via's branch and
 * NAT parameters, and the CSeq method. Total: any text gives a value or undefined, never throws.
 * JsSIP parses the message properly afterwards; this only decides retransmissions.
 */
export interface SipPeek {
  /** The request's method, undefined for a response. */
  method?: string;
  /** The response's status, undefined for a request. */
  status?: number;
  /** Method from CSeq (a response's transaction; CANCEL/ACK share the INVITE's branch). */
  cseqMethod: string;
  branch: string;
  /** Top Via `received=` and `rport=`: our address as the far end saw it. */
  received?: string;
  rport?: number;
}

function headerValues(lines: string[], names: string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    if (names.includes(line.slice(0, colon).trim().toLowerCase())) out.push(line.slice(colon + 1).trim());
  }
  return out;
}

export function peekSip(text: string): SipPeek | undefined {
  const headEnd = text.indexOf('\r\n\r\n');
  const lines = (headEnd < 0 ? text : text.slice(0, headEnd)).split('\r\n');
  const start = lines[0] ?? '';
  const response = /^SIP\/2\.0 ([1-6]\d\d)(?: |$)/.exec(start);
  const request = response ? null : /^([A-Za-z]+) \S+ SIP\/2\.0$/.exec(start);
  if (!response && !request) return undefined;
  const via = headerValues(lines.slice(1), ['via', 'v'])[0]?.split(',')[0];
  const cseq = /^\d+\s+([A-Za-z]+)$/.exec(headerValues(lines.slice(1), ['cseq'])[0] ?? '');
  if (!via || !cseq) return undefined;
  const params = new Map<string, string>();
  for (const p of via.split(';').slice(1)) {
    const eq = p.indexOf('=');
    params.set((eq < 0 ? p : p.slice(0, eq)).trim().toLowerCase(), eq < 0 ? '' : p.slice(eq + 1).trim());
  }
  const branch = params.get('branch');
  if (!branch) return undefined;
  const rport = Number(params.get('rport'));
  const received = params.get('received');
  return {
    ...(request ? { method: request[1]!.toUpperCase() } : { status: Number(response![1]) }),
    cseqMethod: cseq[1]!.toUpperCase(),
    branch,
    ...(received ? { received } : {}),
    ...(Number.isInteger(rport) && rport > 0 && rport < 65536 ? { rport } : {}),
  };
}
