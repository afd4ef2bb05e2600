import { CHART_WIDTH, NARROW_WIDTH } from './chart-types';
import { CLOUD_SIZE, layoutCloud } from './word-cloud';

const words = Array.from({ length: 80 }, (_, i) => ({
  word: `word${String.fromCharCode(97 + (i % 26))}${i}`,
  count: 1 + ((i * 7) % 13),
}));

describe('layoutCloud', () => {
  it('is deterministic: the same counts give the same picture', () => {
    expect(layoutCloud(words)).toEqual(layoutCloud([...words].reverse()));
  });

  it.each([CHART_WIDTH, NARROW_WIDTH])(
    'places at most CLOUD_SIZE words inside the width (%i), none overlapping',
    (width) => {
      const { placed, height } = layoutCloud(words, width);
      expect(placed).toHaveLength(CLOUD_SIZE);
      for (const w of placed) {
        expect(w.x).toBeGreaterThanOrEqual(0);
        expect(w.x + w.width).toBeLessThanOrEqual(width);
        expect(w.y).toBeLessThanOrEqual(height);
      }
      const boxes = placed.map((w) => ({ x0: w.x, x1: w.x + w.width, y0: w.y - w.size, y1: w.y }));
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
          const [a, b] = [boxes[i], boxes[j]];
          const apart = a.x1 <= b.x0 || b.x1 <= a.x0 || a.y1 <= b.y0 || b.y1 <= a.y0;
          expect(apart).toBe(true);
        }
      }
    },
  );

  it('sizes by frequency: the most used word is the largest', () => {
    const { placed } = layoutCloud([
      { word: 'rare', count: 1 },
      { word: 'common', count: 9 },
      { word: 'middle', count: 4 },
    ]);
    const size = Object.fromEntries(placed.map((w) => [w.word, w.size]));
    expect(size.common).toBeGreaterThan(size.middle);
    expect(size.middle).toBeGreaterThan(size.rare);
  });

  it('shrinks a word too long for the line rather than letting it spill', () => {
    const { placed } = layoutCloud([{ word: 'x'.repeat(28), count: 5 }], NARROW_WIDTH);
    expect(placed[0].x + placed[0].width).toBeLessThanOrEqual(NARROW_WIDTH);
  });
});
