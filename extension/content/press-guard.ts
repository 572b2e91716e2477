/**
 * The first content script of every frame (document_start, before any script of the page runs):
 * its only job is to be the first listener for `pointerdown`. A window capture listener runs in
 * the order listeners were added, so a page that registered its own one earlier could hide a
 * button and reveal a number before we looked (bait and switch, issue 13). This one was added
 * before the page could add any; it hands the event to the main script (index.ts, same isolated
 * world, document_idle), which records what the press was on (pointer.ts).
 */
const g = globalThis as { __voispeedPress?: (e: PointerEvent) => void; __voispeedPressGuard?: boolean };
if (!g.__voispeedPressGuard) {
  g.__voispeedPressGuard = true;
  window.addEventListener('pointerdown', (e) => g.__voispeedPress?.(e), { capture: true, passive: true });
}
