import { seaRole } from './sea-role';

/**
 * Entry point of the Windows single executable (see sea-role.ts). Each part is required only in
 * its branch: the bundle evaluates a module when it is required, so one process runs one part.
 * In a single executable process.argv is [exe, exe, ...arguments].
 */
const role = seaRole(process.argv.slice(2));
if (role === 'daemon') {
  process.argv.splice(2, 1);
  require('./host-main');
} else if (role === 'launcher') {
  require('./main');
} else if (role === 'hotkeys-helper') {
  require('./hotkeys/uiohook/helper-main');
} else {
  require('./cli/bin');
}
