/** The operating-system layer copy-and-restore needs; faked in the unit tests. */
export interface ClipboardOs {
  /** The clipboard's text; '' when it holds none (an image, nothing). */
  readClipboard(): Promise<string>;
  writeClipboard(text: string): Promise<void>;
  /** Sends Ctrl+C (Cmd+C) to the focused program once the hotkey's modifiers are up. */
  sendCopy(): Promise<void>;
  sleep(ms: number): Promise<void>;
}

export interface CopyOptions {
  /** How long the focused program has to put the selection on the clipboard. */
  timeoutMs?: number;
  pollMs?: number;
}

/**
 * Windows and macOS have no PRIMARY selection: copy the highlighted text with a synthesised
 * Ctrl/Cmd+C, read it, put the user's clipboard text back. When the clipboard does not change,
 * nothing new was copied, so the clipboard's own text is the answer (as CLIPBOARD is the
 * fallback on X11). Only text is restored: an image on the clipboard is lost if a copy happens.
 */
export async function copySelection(os: ClipboardOs, o: CopyOptions = {}): Promise<string | undefined> {
  const timeoutMs = o.timeoutMs ?? 400;
  const pollMs = o.pollMs ?? 25;
  const saved = await os.readClipboard();
  await os.sendCopy();
  let text = saved;
  for (let waited = 0; waited <= timeoutMs; waited += pollMs) {
    text = await os.readClipboard();
    if (text !== saved) break;
    await os.sleep(pollMs);
  }
  if (text !== saved && saved !== '') await os.writeClipboard(saved);
  return text.trim() === '' ? undefined : text;
}
