import { useState } from 'preact/hooks';
import type { Preferences } from '../../shared/settings/preferences';
import { preferencesSchema } from '../../shared/settings/preferences';
import { describeIssue } from '../../shared/settings';
import { fieldLabel } from '../lib/error-text';
import { t } from '../lib/i18n';
import type { SaveSection } from './options-view';

export interface SectionNote {
  text: string;
  error: boolean;
}

/**
 * Saving a change to the preferences from one options section: checked against the schema first
 * (the invalid field named in the user's language), then saved; the note says which happened.
 */
export function usePreferencesSave(prefs: Preferences | undefined, save: SaveSection) {
  const [note, setNote] = useState<SectionNote | undefined>(undefined);
  const apply = async (change: Record<string, unknown>) => {
    if (!prefs) return;
    const parsed = preferencesSchema.safeParse({ ...prefs, ...change });
    if (!parsed.success) {
      setNote({ text: t('errInvalidSettings', fieldLabel(describeIssue(parsed.error, 'preferences').field)), error: true });
      return;
    }
    const failed = await save('preferences', parsed.data);
    setNote(failed ? { text: failed.text, error: true } : { text: t('optionsSaved'), error: false });
  };
  return { note, apply };
}
