/**
 * Percent-decoding that never throws, for values that come from the network (SIP URI users,
 * header parameters, link bodies). `decodeURIComponent` throws URIError on a `%` that is not
 * followed by two hex digits and on escapes that do not spell UTF-8 ("%FF", "%C3%28"); a caller
 * id like that must never make a call disappear. Each run of consecutive escapes is decoded on its
 * own, and a run that cannot be decoded stays as it was received, as does a lone `%`. For input
 * `decodeURIComponent` accepts, the result is the same.
 */
const nativeDecode = decodeURIComponent;
const nativeEncode = encodeURIComponent;
const ESCAPE_RUN = /(?:%[0-9A-Fa-f]{2})+/g;

export function decodePercent(text: string): string {
  if (!text.includes('%')) return text;
  return String(text).replace(ESCAPE_RUN, (run) => {
    try {
      return nativeDecode(run);
    } catch {
      return run;
    }
  });
}

/** Lone surrogate halves cannot be UTF-8 encoded: they become U+FFFD instead of throwing. */
export function wellFormed(text: string): string {
  return String(text).replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** `encodeURIComponent` that never throws (lone surrogates become U+FFFD first). */
export function encodePercent(text: string): string {
  return nativeEncode(wellFormed(text));
}
