declare const __APP_VERSION__: string | undefined;

/** Replaced at bundle time from package.json; unbundled (tests) it reads as 'dev'. */
export const APP_VERSION: string =
  typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : 'dev';
