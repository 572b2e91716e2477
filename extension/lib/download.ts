/** Saves a CSV through the page itself (no downloads permission): a blob link, clicked once. */
export function downloadCsv(csv: string): void {
  // A BOM, so spreadsheet programs read UTF-8 names right.
  const blob = new Blob(['\ufeff', csv], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `voispeed-history-${new Date().toISOString().slice(0, 10)}.csv`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
