import { join } from 'node:path';
import { enableCompileCache } from './compile-cache';

/**
 * Entry point of dist/host/host-daemon.cjs, what the launcher starts: the host itself is
 * host-core.cjs beside it (host-main.ts), required once V8's code cache is on, so that a Node
 * that has one (the .deb's) reads the host's compiled code back instead of compiling its bundle at
 * every start. The Windows single executable runs host-main.ts directly (sea-main.ts).
 */
enableCompileCache();
require(join(__dirname, 'host-core.cjs'));
