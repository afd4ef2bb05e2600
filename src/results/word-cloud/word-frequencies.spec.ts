import { LANGUAGES } from '../../common/i18n/languages';
import { STOP_WORDS } from './stop-words';
import { answerWords, WordCounter } from './word-frequencies';

describe('answerWords', () => {
  it('drops the stop words of the answer’s language, lower-cases, keeps accents', () => {
    expect(answerWords('The Café is near the river', 'en')).toEqual(['café', 'near', 'river']);
    expect(answerWords('El río y la montaña', 'es')).toEqual(['río', 'montaña']);
    expect(answerWords('Die Sonne und der Mond', 'de')).toEqual(['sonne', 'mond']);
    expect(answerWords('O sol e a lua', 'pt')).toEqual(['sol', 'lua']);
  });

  it('French: elided articles go (l’eau is eau), typographic apostrophes too', () => {
    expect(answerWords("L’eau et l'air d’abord", 'fr')).toEqual(['eau', 'air', 'abord']);
  });

  it('a stop word of another language stays (die is an English word)', () => {
    expect(answerWords('die', 'en')).toEqual(['die']);
    expect(answerWords('die', 'de')).toEqual([]);
  });

  it('unknown or absent language reads as English; one letter goes, numbers stay', () => {
    expect(answerWords('A b 42 x the', undefined)).toEqual(['42']);
    expect(answerWords('the moon', 'xx')).toEqual(['moon']);
  });

  it('counts a word once per answer', () => {
    const counter = new WordCounter();
    counter.add('cat cat cat', 'en');
    counter.add('Cat dog', 'en');
    expect(counter.top(10)).toEqual([
      { word: 'cat', count: 2 },
      { word: 'dog', count: 1 },
    ]);
  });

  it('has a list for every page language, in lower case', () => {
    for (const lang of LANGUAGES) {
      expect(STOP_WORDS[lang].size).toBeGreaterThan(40);
      for (const w of STOP_WORDS[lang]) expect(w).toBe(w.toLowerCase());
    }
  });
});
