import { LANGUAGES } from '../../../common/i18n/languages';
import { en } from './en';
import { PAGE_WORDS, PageText, placeholders } from './page-text';

describe('answer page words', () => {
  const keys = Object.keys(en).sort();

  it.each(LANGUAGES)('%s has every English key and no other', (language) => {
    expect(Object.keys(PAGE_WORDS[language]).sort()).toEqual(keys);
  });

  it.each(LANGUAGES)('%s uses the same placeholders as English, key by key', (language) => {
    const words = PAGE_WORDS[language];
    for (const key of keys) {
      const k = key as keyof typeof en;
      expect([key, placeholders(words[k])]).toEqual([key, placeholders(en[k])]);
    }
  });

  it.each(LANGUAGES.filter((l) => l !== 'en'))(
    '%s is translated (no sentence left in English) and never empty',
    (language) => {
      const words = PAGE_WORDS[language];
      for (const key of keys) {
        const k = key as keyof typeof en;
        expect([key, words[k].trim().length > 0]).toEqual([key, true]);
        // Short labels may coincide across languages ("Total"); whole sentences must not.
        if (en[k].split(' ').length > 3) expect([key, words[k]]).not.toEqual([key, en[k]]);
      }
    },
  );

  it('plural forms come in pairs', () => {
    const stems = keys.filter((k) => k.endsWith('_other')).map((k) => k.slice(0, -6));
    for (const stem of stems) expect(keys).toContain(`${stem}_one`);
    expect(keys.filter((k) => k.endsWith('_one')).length).toBe(stems.length);
  });

  it('formats numbers for the locale and picks plural forms', () => {
    expect(new PageText('de').t('text_count', { count: 1234, max: 2000 })).toBe(
      '1.234 von 2.000 Zeichen',
    );
    expect(new PageText('fr').plural('correct', 1.5, { score: 1.5 })).toBe(
      '✓ Bonne réponse\u00a0: 1,5 point',
    );
    expect(new PageText('en').plural('correct', 1, { score: 1 })).toBe('✓ Correct: 1 point');
    expect(new PageText('pt').plural('correct', 2, { score: 2 })).toBe('✓ Certo: 2 pontos');
  });
});
