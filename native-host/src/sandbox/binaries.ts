import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';
import { BARESIP_MODULE_DIRS } from './baresip-config';

export interface SandboxBinaries {
  kamailio: string;
  rtpengine: string;
  baresip: string;
  /** baresip's module folder (holds ausine.so, ctrl_tcp.so...). */
  baresipModules: string;
}

/** Debian installs kamailio in /usr/sbin, which is not on an ordinary user's PATH. */
const SBIN = ['/usr/sbin', '/usr/local/sbin', '/sbin'];

export const INSTALL_HINT =
  'install the sandbox parts: apt-get install kamailio kamailio-websocket-modules kamailio-utils-modules kamailio-tls-modules baresip sip-tester && apt-get install --no-install-recommends rtpengine-daemon';

async function executable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export async function which(name: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  if (isAbsolute(name)) return (await executable(name)) ? name : undefined;
  const dirs = [...(env.PATH ?? '').split(delimiter).filter(Boolean), ...SBIN];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    if (await executable(candidate)) return candidate;
  }
  return undefined;
}

/** Resolves every program the sandbox runs; one clear error naming what is missing. */
export async function findBinaries(overrides: Partial<SandboxBinaries> = {}, env: NodeJS.ProcessEnv = process.env): Promise<SandboxBinaries> {
  const missing: string[] = [];
  const resolveBin = async (name: 'kamailio' | 'rtpengine' | 'baresip') => {
    const found = await which(overrides[name] ?? name, env);
    if (!found) missing.push(name);
    return found ?? name;
  };
  const kamailio = await resolveBin('kamailio');
  const rtpengine = await resolveBin('rtpengine');
  const baresip = await resolveBin('baresip');
  let baresipModules = overrides.baresipModules;
  if (!baresipModules) {
    for (const dir of BARESIP_MODULE_DIRS) {
      try {
        await access(join(dir, 'ausine.so'), constants.R_OK);
        baresipModules = dir;
        break;
      } catch {
        // try the next folder
      }
    }
  }
  if (!baresipModules) missing.push('baresip modules (ausine.so)');
  if (missing.length) throw new Error(`sandbox needs ${missing.join(', ')}: ${INSTALL_HINT}`);
  return { kamailio, rtpengine, baresip, baresipModules: baresipModules as string };
}
