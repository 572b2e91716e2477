import type { CliCommand } from './command';
import { callCommand, hangupCommand } from './commands/call';
import { urlCommand } from './commands/url';

/** The hot commands (hot-commands.ts): the very command objects the full CLI lists. */
export const hotCommands: readonly CliCommand[] = [callCommand, hangupCommand, urlCommand];
