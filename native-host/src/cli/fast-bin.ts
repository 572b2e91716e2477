import { join } from 'node:path';
import { isHotCommand } from './hot-commands';

/**
 * Entry point of dist/host/voispeed.cjs (what /usr/bin/voispeed and the `voispeed:` URL handler
 * run). The hot commands load only themselves and the control-socket client; anything else loads
 * the full CLI from voispeed-cli.cjs beside this file. Each part is required only in its branch:
 * the bundle evaluates a module when it is required.
 */
if (isHotCommand(process.argv.slice(2))) require('./hot-main');
else require(join(__dirname, 'voispeed-cli.cjs'));
