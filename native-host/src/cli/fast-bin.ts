import { join } from 'node:path';
import { enableCompileCache } from '../compile-cache';
import { isHotCommand } from './hot-commands';

/**
 * Entry point of dist/host/voispeed.cjs (what /usr/bin/voispeed and the `voispeed:` URL handler
 * run). The hot commands load voispeed-hot.cjs (themselves and the control-socket client); anything
 * else loads the full CLI, voispeed-cli.cjs. Both beside this file, and compiled through V8's code
 * cache where the Node in use has one: compiling them was a fifth of the hot path's time.
 */
enableCompileCache();
require(join(__dirname, isHotCommand(process.argv.slice(2)) ? 'voispeed-hot.cjs' : 'voispeed-cli.cjs'));
