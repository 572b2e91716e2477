import { CHROMIUM_ALLOWED_ORIGINS, FIREFOX_EXTENSION_ID } from '../../../shared/extension-ids';
import { NATIVE_HOST_NAME } from '../../../shared/protocol/version';
import type { BrowserFamily } from './browsers';

/**
 * The JSON a browser reads to find and authorise the host. Chromium and Firefox differ only in how
 * they name the extensions allowed to connect; both get exactly our ids (DESIGN §8): the pinned one,
 * and for Chromium the stores' (shared/extension-ids.ts).
 */
export type HostManifest = {
  name: string;
  description: string;
  /** Absolute: Chromium resolves a relative path against the manifest's folder, Firefox varies. */
  path: string;
  type: 'stdio';
} & ({ allowed_origins: string[] } | { allowed_extensions: string[] });

export const HOST_DESCRIPTION = 'VOIspeed UI: softphone and CTI host for the VOIspeed browser extension';

export function hostManifest(family: BrowserFamily, launcherPath: string): HostManifest {
  const common = { name: NATIVE_HOST_NAME, description: HOST_DESCRIPTION, path: launcherPath, type: 'stdio' as const };
  return family === 'chromium'
    ? { ...common, allowed_origins: [...CHROMIUM_ALLOWED_ORIGINS] }
    : { ...common, allowed_extensions: [FIREFOX_EXTENSION_ID] };
}

export function hostManifestText(family: BrowserFamily, launcherPath: string): string {
  return `${JSON.stringify(hostManifest(family, launcherPath), null, 2)}\n`;
}

/** Both browsers look the host up by `<name>.json` in their folder. */
export const MANIFEST_FILE_NAME = `${NATIVE_HOST_NAME}.json`;
