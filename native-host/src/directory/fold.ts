/** Text for matching as typed: lower case, diacritics removed (Müller ~ muller, Niccolò ~ niccolo). */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
}

/** The words of a query, folded, split where the index splits names (D'Angelo: d, angelo). */
export function queryWords(query: string): string[] {
  return fold(query)
    .split(/[^\p{L}\p{N}+]+/u)
    .filter((w) => w.length > 0)
    .slice(0, 8);
}
