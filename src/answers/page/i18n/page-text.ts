import { negotiateLanguage, type Language } from '../../../common/i18n/languages';
import { de } from './de';
import { en, type PageWordKey, type PageWords } from './en';
import { es } from './es';
import { fr } from './fr';
import { pt } from './pt';

/** Every language's words (src/common/i18n/languages.ts lists the languages). */
export const PAGE_WORDS: Readonly<Record<Language, PageWords>> = { en, es, fr, de, pt };

type Params = Record<string, string | number>;
/** The keys that come as `_one` / `_other` pairs, without the suffix. */
type PluralKey = PageWordKey extends infer K
  ? K extends `${infer Stem}_other`
    ? Stem
    : never
  : never;

/**
 * The page's words in one language, with its number formatting. Numbers given as placeholders
 * are formatted for the locale (Intl.NumberFormat: "3,5" in German); strings are left alone.
 */
export class PageText {
  private readonly words: PageWords;
  private readonly numbers: Intl.NumberFormat;
  private readonly plurals: Intl.PluralRules;

  constructor(readonly language: Language) {
    this.words = PAGE_WORDS[language];
    this.numbers = new Intl.NumberFormat(language, { maximumFractionDigits: 6 });
    this.plurals = new Intl.PluralRules(language);
  }

  t(key: PageWordKey, params: Params = {}): string {
    return fill(this.words[key], params, this.number);
  }

  /** The `_one` or `_other` form for `count` (also filled in as the `{count}`-like placeholder). */
  plural(stem: PluralKey, count: number, params: Params = {}): string {
    const form = this.plurals.select(count) === 'one' ? 'one' : 'other';
    return this.t(`${stem}_${form}` as PageWordKey, params);
  }

  readonly number = (n: number): string => this.numbers.format(n);
}

/** Fills `{name}` placeholders; a placeholder without a value stays visible (a test catches it). */
export function fill(
  template: string,
  params: Params,
  formatNumber: (n: number) => string,
): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? formatNumber(value) : value;
  });
}

/** The placeholder names a template uses, sorted (the i18n spec compares them per key). */
export function placeholders(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
}

/** The page's words for a request: the language its Accept-Language asks for (English fallback). */
export function pageTextFor(request: {
  headers: Record<string, string | string[] | undefined>;
}): PageText {
  const header = request.headers['accept-language'];
  return new PageText(negotiateLanguage(Array.isArray(header) ? header.join(',') : header));
}
