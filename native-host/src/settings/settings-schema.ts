/** The host's settings file uses the one schema both sides share. */
export { SETTINGS_VERSION, defaultSettings, settingsSchema, type Settings } from '../../../shared/settings';
