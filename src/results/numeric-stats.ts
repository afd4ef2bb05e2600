/**
 * Statistics of numeric and rating answers (docs/architecture.md §18).
 * Pure functions over plain numbers.
 */

export interface HistogramBucket {
  /** Inclusive lower bound. */
  from: number;
  /** Exclusive upper bound (the last bucket holds the maximum itself). */
  to: number;
  count: number;
}

/** Floating-point noise off a computed bound or statistic (0.1 + 0.2 is shown as 0.3). */
export const tidy = (x: number): number => Number(x.toPrecision(12));

/** Three decimals: enough for a mean or a median shown to people. */
export const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * The p-quantile (0..1) of ascending values by linear interpolation between closest ranks (the
 * "type 7" rule of Hyndman and Fan, as spreadsheets' QUARTILE.INC and NumPy's default): rank
 * h = (n - 1) p, interpolated between the values either side. null for no values.
 */
export function quantile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const h = (sorted.length - 1) * p;
  const low = Math.floor(h);
  const high = Math.ceil(h);
  return tidy(sorted[low] + (h - low) * (sorted[high] - sorted[low]));
}

export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (const v of values) sum += v;
  return round3(sum / values.length);
}

const MAX_BUCKETS = 12;

/** The smallest "nice" step (1, 2, 2.5 or 5 times a power of ten; 1, 2 or 5 for integers) >= raw. */
function niceStep(raw: number, integers: boolean): number {
  if (integers && raw <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  const multiples = integers && power < 10 ? [1, 2, 5, 10] : [1, 2, 2.5, 5, 10];
  for (const m of multiples) if (m * power >= raw * (1 - 1e-12)) return tidy(m * power);
  return tidy(10 * power);
}

/**
 * Histogram buckets for numeric answers. Rule: about Sturges' number of buckets
 * (ceil(log2 n) + 1, at most MAX_BUCKETS) over the answers' range, with a "nice" width (1, 2, 2.5
 * or 5 times a power of ten; whole numbers of at least 1 when every answer is a whole number) and
 * bounds on multiples of the width, so buckets read as "10 to 20", not "9.73 to 19.46". Buckets
 * are half-open [from, to), in ascending order, empty ones included between the first and the
 * last; every answer falls in exactly one. All answers equal: one bucket [v, v] (from = to).
 */
export function histogram(sorted: readonly number[]): HistogramBucket[] {
  if (sorted.length === 0) return [];
  const min = sorted[0];
  const max = sorted[sorted.length - 1];
  if (min === max) return [{ from: min, to: max, count: sorted.length }];
  const integers = sorted.every((v) => Number.isInteger(v));
  const target = Math.min(MAX_BUCKETS, Math.ceil(Math.log2(sorted.length)) + 1);
  let width = niceStep((max - min) / target, integers);
  let start = Math.floor(min / width) * width;
  // Aligning the start can add a bucket; widen once if that overshoots the cap.
  if (Math.floor((max - start) / width) + 1 > MAX_BUCKETS) {
    width = niceStep(width * 1.5, integers);
    start = Math.floor(min / width) * width;
  }
  const count = Math.floor(tidy((max - start) / width)) + 1;
  const buckets: HistogramBucket[] = Array.from({ length: count }, (_, i) => ({
    from: tidy(start + i * width),
    to: tidy(start + (i + 1) * width),
    count: 0,
  }));
  for (const v of sorted) {
    const i = Math.min(count - 1, Math.max(0, Math.floor(tidy((v - start) / width))));
    buckets[i].count++;
  }
  return buckets;
}
