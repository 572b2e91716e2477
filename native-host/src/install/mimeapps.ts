/**
 * Reading and editing one key of `mimeapps.list` (freedesktop "Association between MIME types and
 * applications"): the default application of a type lives in `[Default Applications]` as
 * `type=a.desktop;b.desktop;`. Install reads the previous default before xdg-mime replaces it;
 * uninstall puts it back (or removes the line) only if the default is still ours.
 */

const DEFAULTS = '[Default Applications]';

function isGroup(line: string): boolean {
  return /^\s*\[.*\]\s*$/.test(line);
}

/** The first application listed as the default for `mimeType`, or undefined. */
export function readDefault(text: string, mimeType: string): string | undefined {
  let inDefaults = false;
  for (const line of text.split('\n')) {
    if (isGroup(line)) {
      inDefaults = line.trim() === DEFAULTS;
      continue;
    }
    if (!inDefaults) continue;
    const eq = line.indexOf('=');
    if (eq < 0 || line.slice(0, eq).trim() !== mimeType) continue;
    const first = line.slice(eq + 1).split(';')[0]?.trim();
    return first ? first : undefined;
  }
  return undefined;
}

/** Sets (or with `app` undefined, removes) the default for `mimeType`; everything else is kept. */
export function writeDefault(text: string, mimeType: string, app: string | undefined): string {
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  const out: string[] = [];
  let inDefaults = false;
  let sawDefaults = false;
  let done = false;
  const entry = app === undefined ? undefined : `${mimeType}=${app};`;
  for (const line of lines) {
    if (isGroup(line)) {
      if (inDefaults && !done && entry) {
        out.push(entry);
        done = true;
      }
      inDefaults = line.trim() === DEFAULTS;
      sawDefaults ||= inDefaults;
      out.push(line);
      continue;
    }
    const eq = line.indexOf('=');
    if (inDefaults && eq >= 0 && line.slice(0, eq).trim() === mimeType) {
      if (entry && !done) out.push(entry);
      done = true;
      continue;
    }
    out.push(line);
  }
  if (entry && !done) {
    // Not found: [Default Applications] was the last group (append to it) or is missing (add it).
    if (!sawDefaults) out.push(DEFAULTS);
    out.push(entry);
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

/** True when the file holds nothing but group headers and blank lines. */
export function isEmptyList(text: string): boolean {
  return text.split('\n').every((line) => line.trim() === '' || isGroup(line));
}
