/**
 * Headers on every page that shows one person's state: the answer pages (the token in the URL is
 * a credential) and the instructor console. No Referer may carry the URL to another site, no
 * cache may keep the page, no search engine may index it. The strict CSP itself comes from helmet
 * for the whole app (app.setup.ts).
 */
export function privatePageHeaders(): Record<string, string> {
  return {
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    'x-robots-tag': 'noindex, nofollow',
  };
}

/**
 * The instructor console's pages: the same, except that the Referer and Origin go to this site
 * itself (`same-origin`). Their URLs carry no credential, and the console's CSRF check needs the
 * Origin of its own form posts, which browsers replace with "null" under `no-referrer`.
 */
export function consolePageHeaders(): Record<string, string> {
  return { ...privatePageHeaders(), 'referrer-policy': 'same-origin' };
}
