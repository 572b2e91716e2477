export { parseVoispeedUrl, type VoispeedCommand, type VoispeedCommandKind } from './parse';
export { formatVoispeedUrl } from './format';
export { VoispeedUrlError, VOISPEED_URL_ERROR_REASONS, type VoispeedUrlErrorReason } from './errors';
export { LIMITS as VOISPEED_URL_LIMITS } from './fields';
