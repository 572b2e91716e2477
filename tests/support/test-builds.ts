import { join } from 'node:path';
import { repoRoot } from './host-process';

/**
 * The test builds (`node scripts/build.mjs` makes them beside the real ones, mode 'test'): the
 * same extension plus the __TEST_BUILD__ hooks, e.g. `globalThis.__voispeedMedia` in the
 * background and the remote-audio analyser in the media engine.
 */
export const chromeTestExtensionDir = join(repoRoot, 'dist/chrome-test');
export const firefoxTestExtensionDir = join(repoRoot, 'dist/firefox-test');
