import { publicSettings } from '../../../shared/settings';
import type { Broadcast, Capability } from '../capability';
import type { SettingsService } from './settings-service';

/** The settings file as protocol methods, and a `settings` push (password never included) on every change. */
export function startSettings(deps: { service: SettingsService; broadcast: Broadcast }): Capability<'settings.get' | 'settings.set'> {
  const { service } = deps;
  const off = service.onChange((next) => deps.broadcast('settings', publicSettings(next)));
  return {
    handlers: {
      'settings.get': async () => ({ settings: publicSettings(await service.get()) }),
      'settings.set': async (p) => ({ settings: publicSettings(await service.set(p.section, p.value)) }),
    },
    events: ['settings'],
    stop: () => void off(),
  };
}
