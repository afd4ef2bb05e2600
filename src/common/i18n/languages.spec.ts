import { negotiateLanguage } from './languages';

describe('negotiateLanguage', () => {
  it.each([
    [undefined, 'en'],
    ['', 'en'],
    ['de-DE,de;q=0.9,en;q=0.8', 'de'],
    ['pt-BR', 'pt'],
    ['ja, fr;q=0.5', 'fr'],
    ['en;q=0.5, es;q=0.8', 'es'],
    ['fr, es', 'fr'],
    ['es;q=0, fr;q=0.1', 'fr'],
    ['zh-CN, ja', 'en'],
    ['*', 'en'],
    ['ES-mx;q=0.7', 'es'],
    ['de;q=abc', 'de'],
    ['de;q=2, fr;q=0.2', 'de'], // a malformed q is ignored, as q=abc is,
  ])('%s -> %s', (header, expected) => {
    expect(negotiateLanguage(header)).toBe(expected);
  });
});
