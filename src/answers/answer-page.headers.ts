/**
 * Headers on every answer page. The token in the URL is a credential: no Referer may carry it to
 * another site, no cache may keep the page (it shows one person's state), no search engine may
 * index it. The strict CSP itself comes from helmet for the whole app (app.setup.ts).
 */
export function answerPageHeaders(): Record<string, string> {
  return {
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    'x-robots-tag': 'noindex, nofollow',
  };
}
