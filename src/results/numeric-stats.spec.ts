import { histogram, quantile } from './numeric-stats';

const total = (b: Array<{ count: number }>) => b.reduce((n, x) => n + x.count, 0);

describe('quantile (closest ranks, interpolated)', () => {
  it('matches the spreadsheet QUARTILE.INC values', () => {
    const v = [1, 2, 3, 4, 5, 6, 7, 8];
    expect(quantile(v, 0.25)).toBe(2.75);
    expect(quantile(v, 0.5)).toBe(4.5);
    expect(quantile(v, 0.75)).toBe(6.25);
    expect(quantile([7], 0.25)).toBe(7);
    expect(quantile([], 0.5)).toBeNull();
  });
});

describe('histogram', () => {
  it('whole numbers get whole, round bucket widths aligned on multiples', () => {
    const values = Array.from({ length: 30 }, (_, i) => (i % 10) + 1);
    const b = histogram(values);
    expect(b.map((x) => [x.from, x.to])).toEqual([
      [0, 2],
      [2, 4],
      [4, 6],
      [6, 8],
      [8, 10],
      [10, 12],
    ]);
    expect(b.map((x) => x.count)).toEqual([3, 6, 6, 6, 6, 3]);
  });

  it('decimals get a round width (1, 2, 2.5 or 5 times a power of ten), bounds without float noise', () => {
    const b = histogram([0.1, 0.2, 0.3, 0.35, 0.7]);
    const width = b[0].to - b[0].from;
    expect([0.1, 0.2, 0.25, 0.5]).toContain(Number(width.toPrecision(6)));
    for (const x of b) expect(String(x.from).length).toBeLessThan(6);
    expect(total(b)).toBe(5);
  });

  it('every value lands in exactly one bucket, the maximum included; at most 12 buckets', () => {
    for (const values of [
      [1, 1000000],
      [-5, -4.5, 3, 1e12],
      Array.from({ length: 5000 }, (_, i) => Math.sin(i) * 1000),
    ]) {
      const sorted = [...values].sort((a, b) => a - b);
      const b = histogram(sorted);
      expect(total(b)).toBe(values.length);
      expect(b.length).toBeLessThanOrEqual(12);
      expect(b[0].from).toBeLessThanOrEqual(sorted[0]);
      expect(b[b.length - 1].to).toBeGreaterThan(sorted[sorted.length - 1]);
    }
  });

  it('equal answers are one bucket', () => {
    expect(histogram([4, 4, 4])).toEqual([{ from: 4, to: 4, count: 3 }]);
    expect(histogram([])).toEqual([]);
  });
});
