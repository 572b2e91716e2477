import type { BrowserKind } from './ui-state';

interface NavigatorWithHints {
  userAgent: string;
  userAgentData?: { brands?: { brand: string }[] };
  brave?: unknown;
}

/** Which browser we run in; decides the install command and the host manifest folder shown. */
export function detectBrowser(nav: NavigatorWithHints, isFirefox: boolean): BrowserKind {
  if (isFirefox) return 'firefox';
  if (nav.brave) return 'brave';
  if (/\bEdg\//.test(nav.userAgent)) return 'edge';
  const brands = nav.userAgentData?.brands?.map((b) => b.brand) ?? [];
  if (brands.includes('Google Chrome')) return 'chrome';
  return 'chromium';
}
