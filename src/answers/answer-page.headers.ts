import type { Language } from '../common/i18n/languages';
import { privatePageHeaders } from '../common/http/private-page-headers';

/** Headers on every answer route's response: the private-page set (src/common/http/private-page-headers.ts). */
export const answerPageHeaders = privatePageHeaders;

/**
 * An answer page (HTML): also its language, chosen from Accept-Language, and `Vary` saying so, so
 * that nothing in between (no-store already forbids keeping it) could hand one person's language
 * to another.
 */
export function answerHtmlHeaders(language: Language): Record<string, string> {
  return {
    ...privatePageHeaders(),
    'content-type': 'text/html; charset=utf-8',
    'content-language': language,
    vary: 'Accept-Language',
  };
}
