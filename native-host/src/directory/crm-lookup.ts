import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { ContactMatch } from '../../../shared/protocol';
import { buildUrl, placeholderValues, type EventFacts } from '../../../shared/integra';
import type { CrmLookupSettings } from '../../../shared/settings/directory';
import { cleanText } from './contact';
import { atPath } from './json-path';

/** The whole lookup (connect, redirects, answer) within this, or no name from the CRM for that call. */
export const CRM_TIMEOUT_MS = 1_500;
/** A bigger answer is no name but a mistake or an attack: dropped unread. */
export const CRM_MAX_BYTES = 256 * 1024;
const MAX_REDIRECTS = 3;

/** Why a CRM answer gave no name: the options' Test panel and the log say it. */
export class CrmLookupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CrmLookupError';
  }
}

/** The settings a CRM lookup can run with, or why not. */
export function crmReady(s: CrmLookupSettings): string | undefined {
  if (!s.enabled) return 'off';
  if (!s.urlTemplate) return 'no lookup URL';
  return undefined;
}

/** The lookup URL for a number: Integra's placeholders, each value URL-encoded, the host literal. */
export function crmUrl(s: CrmLookupSettings, facts: Omit<EventFacts, 'time'>, now = Date.now()): URL {
  return new URL(buildUrl(s.urlTemplate, placeholderValues({ ...facts, time: now })));
}

interface Answer {
  status: number;
  contentType: string;
  body: string;
}

/** GET with a deadline, a size cap, and redirects followed only on the same scheme, host and port. */
function get(url: URL, headers: Record<string, string>, deadline: number, hops = 0): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const left = deadline - Date.now();
    if (left <= 0) return reject(new CrmLookupError(`no answer within ${CRM_TIMEOUT_MS} ms`));
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, { method: 'GET', headers: { accept: 'application/json, text/plain;q=0.9', ...headers } });
    const timer = setTimeout(() => req.destroy(new CrmLookupError(`no answer within ${CRM_TIMEOUT_MS} ms`)), left);
    let settled = false;
    const fail = (err: unknown) => {
      clearTimeout(timer);
      if (settled) return;
      settled = true;
      reject(err instanceof CrmLookupError ? err : new CrmLookupError(`request failed: ${cleanText((err as Error)?.message, 200) ?? 'error'}`));
    };
    req.on('error', fail);
    req.on('response', (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location !== undefined) {
        res.resume();
        clearTimeout(timer);
        let next: URL;
        try {
          next = new URL(res.headers.location, url);
        } catch {
          return reject(new CrmLookupError('redirect to an unreadable location'));
        }
        if (next.origin !== url.origin) return reject(new CrmLookupError(`redirect to another host (${next.host.slice(0, 100)}) refused`));
        if (hops >= MAX_REDIRECTS) return reject(new CrmLookupError('too many redirects'));
        return get(next, headers, deadline, hops + 1).then(resolve, reject);
      }
      if (Number(res.headers['content-length'] ?? 0) > CRM_MAX_BYTES) {
        res.destroy();
        return fail(new CrmLookupError(`answer larger than ${CRM_MAX_BYTES} bytes`));
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= CRM_MAX_BYTES) return void chunks.push(chunk);
        fail(new CrmLookupError(`answer larger than ${CRM_MAX_BYTES} bytes`));
        res.destroy();
      });
      res.on('error', fail);
      res.on('close', () => {
        if (settled || !res.complete) return;
        clearTimeout(timer);
        settled = true;
        resolve({ status, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('aborted', () => fail(new CrmLookupError('answer cut off')));
    });
    req.end();
  });
}

function httpLink(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 2048) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function textOf(value: unknown): string | undefined {
  return typeof value === 'number' ? String(value) : cleanText(value);
}

/** A CRM answer read as the settings say; undefined: the CRM does not know the number. Throws a CrmLookupError when the answer is unusable. */
export function readCrmAnswer(s: CrmLookupSettings, answer: Answer): ContactMatch | undefined {
  if (answer.status === 404 || answer.status === 204) return undefined;
  if (answer.status < 200 || answer.status >= 300) throw new CrmLookupError(`HTTP ${answer.status}`);
  if (s.format === 'text') {
    const name = cleanText(answer.body.split(/\r?\n/, 1)[0]);
    return name ? { name, source: 'crm' } : undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(answer.body);
  } catch {
    throw new CrmLookupError(`not JSON (${cleanText(answer.contentType, 60) ?? 'no content type'})`);
  }
  const name = textOf(atPath(json, s.namePath));
  if (!name) return undefined;
  const company = s.companyPath ? textOf(atPath(json, s.companyPath)) : undefined;
  const link = s.linkPath ? httpLink(atPath(json, s.linkPath)) : undefined;
  return { name, ...(company ? { company } : {}), ...(link ? { link } : {}), source: 'crm' };
}

/** Asks the CRM who a number is. Throws a CrmLookupError (timeout, too big, not JSON, foreign redirect, HTTP error). */
export async function crmLookup(s: CrmLookupSettings, facts: Omit<EventFacts, 'time'>): Promise<ContactMatch | undefined> {
  let url: URL;
  try {
    url = crmUrl(s, facts);
  } catch (err) {
    throw new CrmLookupError(`bad lookup URL: ${(err as Error).message}`);
  }
  const headers: Record<string, string> = s.headerName && s.headerValue ? { [s.headerName]: s.headerValue } : {};
  return readCrmAnswer(s, await get(url, headers, Date.now() + CRM_TIMEOUT_MS));
}
