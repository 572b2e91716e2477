/**
 * Runtime messages between content scripts and the background (names say who sends them:
 * `page.*` from a page's content script, `numbers.*` answered by it). Content scripts never
 * get the `ui` port: they can only ask for a call, and only on a trusted click.
 */

/** Content script → background, sent only from a trusted click handler. */
export type PageCallRequest =
  | { type: 'page.call'; via: 'number'; number: string; display: string }
  | { type: 'page.call'; via: 'link'; href: string };

/** The background's answer, shown to the user as a short in-page toast. */
export interface PageCallReply {
  ok: boolean;
  text: string;
}

/** Background → content script: show a result the page did not ask for (context-menu calls). */
export interface PageToast {
  type: 'page.toast';
  ok: boolean;
  text: string;
}

/**
 * Content script → background: libphonenumber-js's `max` metadata, asked for once per frame that
 * holds a run of seven digits. A message, not a file of the extension the script would import:
 * such a file would have to be web-accessible, and any page could fetch it (issue 13).
 */
export interface PageMetadataRequest {
  type: 'page.metadata';
}

/** Anyone in the extension → top frame's content script: the numbers found on the page. */
export interface NumbersListRequest {
  type: 'numbers.list';
}

export interface FoundNumber {
  /** E.164: what a click dials. */
  e164: string;
  /** Formatted for reading. */
  display: string;
  /** As written on the page (first occurrence). */
  text: string;
  count: number;
}

export interface NumbersListReply {
  url: string;
  /** Why nothing is detected, when detection is off. */
  off?: 'site' | 'page';
  /** In the order found on the page, at most NUMBERS_LIST_MAX. */
  numbers: FoundNumber[];
  /** How many different numbers the page has (may exceed the list). */
  total?: number;
}

/** The most numbers a `numbers.list` answer carries (the popup shows a short list). */
export const NUMBERS_LIST_MAX = 50;

/** The popup's view of the page it was opened over: the top frame's list and the tab it came from. */
export interface PageNumbersState extends NumbersListReply {
  tabId: number;
}

/** Extension pages → background: the last page calls and how the host answered (diagnostics). */
export interface RecentPageCallsRequest {
  type: 'page-calls.recent';
}

export interface RecentPageCall {
  at: number;
  via: 'number' | 'link' | 'context-menu' | 'popup';
  /** What was sent to the host (after normalisation), or the refused input. */
  request: string;
  ok: boolean;
  text: string;
}

export type PageMessage = PageCallRequest | PageToast | NumbersListRequest | RecentPageCallsRequest | PageMetadataRequest;

export const CALL_LINK_SCHEMES = ['tel', 'sip', 'sips', 'callto', 'voispeed'] as const;
export type CallLinkScheme = (typeof CALL_LINK_SCHEMES)[number];

/** Cheap scheme check for a link's href, done in the page before anything is sent. */
export function callLinkScheme(href: string): CallLinkScheme | undefined {
  const m = /^\s*([a-z]+):/i.exec(href);
  const scheme = m?.[1]?.toLowerCase();
  return (CALL_LINK_SCHEMES as readonly string[]).includes(scheme ?? '') ? (scheme as CallLinkScheme) : undefined;
}
