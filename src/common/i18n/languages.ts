/**
 * The languages the answer page speaks (issue 15). The page's own words live in one file per
 * language under src/answers/page/i18n/; the instructor's question is shown as written.
 */
export const LANGUAGES = ['en', 'es', 'fr', 'de', 'pt'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'en';

const isLanguage = (tag: string): tag is Language => (LANGUAGES as readonly string[]).includes(tag);

/**
 * Picks the page language from an Accept-Language header (RFC 9110 §12.5.4): the supported
 * language with the highest q-value, matched on the primary subtag ("pt-BR" is Portuguese), ties
 * to the header's order; English when none is supported, the header is absent or malformed.
 */
export function negotiateLanguage(header: string | undefined | null): Language {
  if (!header || header.length > 1000) return DEFAULT_LANGUAGE;
  let best: { language: Language; q: number; at: number } | null = null;
  header.split(',').forEach((part, at) => {
    const [range, ...params] = part.trim().split(';');
    const primary = range.trim().toLowerCase().split('-')[0];
    if (!isLanguage(primary)) return;
    let q = 1;
    for (const param of params) {
      const m = /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/i.exec(param);
      if (m) q = Number(m[1]);
    }
    if (!(q > 0) || q > 1) return;
    if (best === null || q > best.q) best = { language: primary, q, at };
  });
  return (best as { language: Language } | null)?.language ?? DEFAULT_LANGUAGE;
}
