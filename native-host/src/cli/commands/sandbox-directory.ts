import { ErrorCode, ProtocolError } from '../../../../shared/protocol';
import { sectionOf } from '../../../../shared/settings';
import type { DirectorySettings } from '../../../../shared/settings/directory';
import { connectControl } from '../../control/control-client';
import { startSandboxDirectory, stopSandboxDirectory, type SandboxDirectory } from '../../sandbox/slapd';
import { controlSocketPath, settingsFile } from '../../settings/paths';
import { SettingsStore } from '../../settings/settings-store';
import type { CliContext } from '../command';

/**
 * `voispeed sandbox start --directory` (issue 18): the sandbox's slapd, and the UI's LDAP
 * settings pointed at it (through the running host when there is one, so it applies at once;
 * else in the settings file). The CRM lookup is left as it is.
 */
export async function startDirectoryFor(ctx: CliContext, dir: string): Promise<{ directory: SandboxDirectory; applied: string }> {
  const directory = await startSandboxDirectory(dir, { env: ctx.env });
  const store = new SettingsStore(settingsFile(ctx.paths));
  const current = sectionOf(await store.load(), 'directory');
  const value: DirectorySettings = {
    ...current,
    ldap: { ...current.ldap, enabled: true, url: directory.url, startTls: false, bindDn: directory.bindDn, password: directory.password, baseDn: directory.baseDn },
  };
  try {
    const client = await connectControl(controlSocketPath(ctx.paths, ctx.platform, ctx.uid));
    try {
      await client.request('settings.set', { section: 'directory', value });
      return { directory, applied: 'the running UI uses it now' };
    } finally {
      client.close();
    }
  } catch (err) {
    if (!(err instanceof ProtocolError && err.code === ErrorCode.NOT_RUNNING)) throw err;
  }
  await store.update((s) => ({ ...s, directory: value }));
  return { directory, applied: 'the UI will use it when it starts' };
}

export const stopDirectoryFor = (dir: string): Promise<boolean> => stopSandboxDirectory(dir);
