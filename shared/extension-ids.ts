/**
 * Extension identities. The Chromium id is derived from the public key pinned in the manifest
 * (`key`), so it is the same on every machine; host manifests allow only these ids.
 */
export const CHROMIUM_EXTENSION_ID = 'gmihbldahhjcghchginofgkifkojfekd';
export const CHROMIUM_EXTENSION_ORIGIN = `chrome-extension://${CHROMIUM_EXTENSION_ID}/`;

/** Base64 DER of the public key; the matching private key is not needed (we never pack a .crx). */
export const CHROMIUM_MANIFEST_KEY =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAjgAiYY1Eh+VrsLDLP3Xwf85/tm8UgBAHfziNhPno2mvc2C4F19dtZe+nGGyPcgsi7q3yU8fHJhZ59VuzDNJv6yftEv64NlJvLUjxNp/erp8VgbB9ARo9DRyHN901yVHfB9D7NX87BJz/r2nWD1ynohdJqUVAF0mEKDMv67XsurHySjL2aQt3736aj+INL56AnOZ58Pjy4n/AIsmpsjShDinBjvL5ieENs+0B7pbTvN6iSJBqP3020KMrT34NmjJeH9P43++/WSIzeAhC3hzIwrw+itwBZTZ+vKeQKoHISaAA37rO8B2Hmz+FyEqUFKHdoCfsvv6a1Y03cH1p3hX/awIDAQAB';

export const FIREFOX_EXTENSION_ID = 'voispeed-ui@voispeed.org';

/**
 * The ids the Chrome Web Store and Edge Add-ons assign at the first upload: a store package cannot
 * carry `key` (the upload is refused), so a store-installed extension has the store's id, not the
 * pinned one. Add each here once known; every host manifest then allows it too.
 */
export const CHROMIUM_STORE_EXTENSION_IDS: readonly string[] = [];

/** What Chromium-family host manifests allow: the pinned id, then the stores' ids. */
export const CHROMIUM_ALLOWED_ORIGINS: readonly string[] = [CHROMIUM_EXTENSION_ID, ...CHROMIUM_STORE_EXTENSION_IDS].map((id) => `chrome-extension://${id}/`);
