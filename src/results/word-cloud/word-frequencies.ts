import { LANGUAGES, DEFAULT_LANGUAGE, type Language } from '../../common/i18n/languages';
import { STOP_WORDS } from './stop-words';

/** A word of the text answers and how many answers use it. */
export interface WordCount {
  word: string;
  count: number;
}

/** Letters and digits, with inner apostrophes kept ("don't", "aujourd'hui"). */
const WORD = /[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*/gu;
/** French elided articles and pronouns ("l'eau" is "eau"; "qu'il" is "il"). */
const FRENCH_ELISION = /^(?:c|d|j|l|m|n|s|t|qu|jusqu|lorsqu|puisqu)'/;
const DIGITS = /^\p{N}+$/u;

const languageOf = (lang: string | undefined | null): Language =>
  lang && (LANGUAGES as readonly string[]).includes(lang) ? (lang as Language) : DEFAULT_LANGUAGE;

/**
 * The distinct content words of one answer: Unicode NFC, lower case (accents kept: "café" is not
 * "cafe"), typographic apostrophes as plain ones, French elisions dropped, then the stop words of
 * the answer's language (`lang`, the page's language when answered; unknown or absent = English)
 * and one-letter words dropped. Each word is counted once per answer, so one participant typing
 * a word ten times weighs as much as one who typed it once.
 */
export function answerWords(text: string, lang?: string | null): string[] {
  const language = languageOf(lang);
  const stop = STOP_WORDS[language];
  const found = new Set<string>();
  const normalized = text
    .normalize('NFC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc]/g, "'");
  for (const match of normalized.matchAll(WORD)) {
    let word = match[0];
    if (language === 'fr') word = word.replace(FRENCH_ELISION, '');
    if (stop.has(word)) continue;
    if ([...word].length < 2 && !DIGITS.test(word)) continue;
    found.add(word);
  }
  return [...found];
}

/** Running word counts over text answers (the live stream adds one answer at a time). */
export class WordCounter {
  private readonly counts = new Map<string, number>();

  add(text: string, lang?: string | null): void {
    for (const word of answerWords(text, lang)) {
      this.counts.set(word, (this.counts.get(word) ?? 0) + 1);
    }
  }

  /** The `limit` most used words, most used first, then alphabetically (a stable cloud). */
  top(limit: number): WordCount[] {
    return [...this.counts]
      .map(([word, count]) => ({ word, count }))
      .sort((a, b) => b.count - a.count || compareText(a.word, b.word))
      .slice(0, limit);
  }
}

/** A fixed, locale-independent order (the same on every server). */
export const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
