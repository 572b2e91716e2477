import { t } from '../lib/i18n';
import type { UiState } from '../lib/ui-state';
import type { PopupActions } from './popup-view';

/**
 * "On this page": the numbers detected on the page the popup was opened over (its top frame), each
 * a button that calls it like a click on the page would (source 'page'). Pure view over
 * `data.page`, which the popup's connector fills (page-numbers-source.ts); nothing is shown where
 * no content script answers (browser pages, the store).
 */
export function PageNumbers({ data, actions }: { data: UiState; actions: PopupActions }) {
  const page = data.page;
  if (!page) return null;
  const canCall = data.connection.status === 'connected' && data.host?.role !== 'secondary' && data.registration?.state === 'registered';
  const more = (page.total ?? page.numbers.length) - page.numbers.length;
  return (
    <section class="page-numbers" aria-labelledby="page-numbers-title" data-testid="page-numbers">
      <h2 id="page-numbers-title" class="page-numbers__title">{t('pageNumbersTitle')}</h2>
      {page.off ? (
        <p class="hint" data-testid="page-numbers-off">{t(page.off === 'site' ? 'pageNumbersOffSite' : 'pageNumbersOffPage')}</p>
      ) : page.numbers.length === 0 ? (
        <p class="hint" data-testid="page-numbers-none">{t('pageNumbersNone')}</p>
      ) : (
        <ul class="page-numbers__list">
          {page.numbers.map((n) => (
            <li key={n.e164}>
              <button
                type="button"
                class="page-numbers__call"
                data-testid="page-number"
                data-e164={n.e164}
                disabled={!canCall}
                aria-label={t('pageNumbersCall', [n.display])}
                title={n.text !== n.display ? n.text : undefined}
                // Only the user's own click (mouse or keyboard) calls: never a script's click().
                onClick={(e) => {
                  if (e.isTrusted) actions.callFromPage?.(n.e164);
                }}
              >
                {n.display}
              </button>
              {n.count > 1 ? <span class="page-numbers__count">{t('pageNumbersCount', String(n.count))}</span> : null}
            </li>
          ))}
        </ul>
      )}
      {more > 0 ? <p class="hint" data-testid="page-numbers-more">{t('pageNumbersMore', String(more))}</p> : null}
    </section>
  );
}
