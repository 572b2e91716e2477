import type { CliCommand } from '../command';
import { accountCommand } from './account';
import { callCommand, callsCommand, hangupCommand, transferCommand } from './call';
import { colleaguesCommand, pickupCommand, voicemailCommand } from './colleagues';
import { dialSelectionCommand, hotkeysCommand, showCommand } from './hotkeys';
import { installCommand } from './install';
import { contactsCommand, lookupCommand } from './lookup';
import { sandboxCommand } from './sandbox';
import { statusCommand } from './status';
import { uninstallCommand } from './uninstall';
import { urlCommand } from './url';

/** Every CLI command, in the order `voispeed --help` lists them. One file per command. */
export const commands: readonly CliCommand[] = [
  installCommand,
  uninstallCommand,
  statusCommand,
  accountCommand,
  callCommand,
  hangupCommand,
  transferCommand,
  callsCommand,
  colleaguesCommand,
  pickupCommand,
  voicemailCommand,
  lookupCommand,
  contactsCommand,
  dialSelectionCommand,
  showCommand,
  hotkeysCommand,
  urlCommand,
  sandboxCommand,
];
