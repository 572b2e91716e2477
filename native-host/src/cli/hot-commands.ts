/**
 * The commands worth a small entry of their own (issue 19): a call from a script, a `voispeed:` URL
 * opened by the desktop, a hang-up. Each one is a control-socket request, and loading the whole CLI
 * (installer, sandbox, account, directory…) cost more than the request itself.
 */
export const HOT_COMMAND_NAMES: readonly string[] = ['call', 'hangup', 'url'];

/** Whether these arguments run a hot command (the URL handler passes a `voispeed:` URL alone). */
export function isHotCommand(argv: readonly string[]): boolean {
  const name = argv[0];
  return !!name && (HOT_COMMAND_NAMES.includes(name) || /^voispeed:/i.test(name));
}
