import { publicSettings } from '../../../shared/settings';
import type { Broadcast, Capability } from '../capability';
import type { SettingsService } from './settings-service';

/**
 * The settings file as protocol methods, and a `settings` push (password never included, locked
 * fields listed) on every change. `settings.managed` takes the browser's managed policy.
 */
export function startSettings(deps: { service: SettingsService; broadcast: Broadcast }): Capability<'settings.get' | 'settings.set' | 'settings.managed'> {
  const { service } = deps;
  const view = (s: Parameters<typeof publicSettings>[0]) => publicSettings(s, service.locked());
  const off = service.onChange((next) => deps.broadcast('settings', view(next)));
  return {
    handlers: {
      'settings.get': async () => ({ settings: view(await service.get()) }),
      'settings.set': async (p) => ({ settings: view(await service.set(p.section, p.value)) }),
      'settings.managed': async (p) => {
        const result = await service.setBrowserPolicy(p.policy);
        // The locked list may change with no value changing (a policy that repeats the user's own value).
        const settings = view(await service.get());
        deps.broadcast('settings', settings);
        return { ...result, settings };
      },
    },
    events: ['settings'],
    stop: () => void off(),
  };
}
