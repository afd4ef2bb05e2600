import { KeyedBatcher } from './keyed-batcher';

/** A read that can be held open, so keys asked for meanwhile queue behind it. */
function controlledRead() {
  const batches: string[][] = [];
  let release: (() => void) | null = null;
  const read = jest.fn(async (keys: string[]) => {
    batches.push(keys);
    if (batches.length === 1) await new Promise<void>((r) => (release = r));
    return new Map(keys.filter((k) => k !== 'missing').map((k) => [k, k.toUpperCase()]));
  });
  return { read, batches, release: () => release?.() };
}

describe('KeyedBatcher', () => {
  it('reads keys asked for together as one batch, and those asked for during a read in the next', async () => {
    const { read, batches, release } = controlledRead();
    const reader = new KeyedBatcher<string, string>(read, 100);
    const first = ['a', 'b', 'a'].map((k) => reader.get(k));
    await new Promise((r) => setImmediate(r));
    // Asked for while the first read is in flight: must not get its value (read before asking).
    const second = ['b', 'c', 'missing'].map((k) => reader.get(k));
    await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([['a', 'b']]);
    release();
    expect(await Promise.all(first)).toEqual(['A', 'B', 'A']);
    expect(await Promise.all(second)).toEqual(['B', 'C', null]);
    expect(batches).toEqual([
      ['a', 'b'],
      ['b', 'c', 'missing'],
    ]);
  });

  it('splits more keys than maxBatch over several reads, and fails only the callers of a failed read', async () => {
    let calls = 0;
    const reader = new KeyedBatcher<number, number>((keys) => {
      if (++calls === 1) return Promise.reject(new Error('down'));
      return Promise.resolve(new Map(keys.map((k) => [k, k * 2])));
    }, 2);
    const results = await Promise.allSettled([1, 2, 3].map((k) => reader.get(k)));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect((results[2] as PromiseFulfilledResult<number>).value).toBe(6);
  });

  it('with minIntervalMs, holds the next read until that long after the previous one started', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick'] });
    try {
      const batches: number[][] = [];
      const reader = new KeyedBatcher<number, number>(
        (keys) => {
          batches.push(keys);
          return Promise.resolve(new Map(keys.map((k) => [k, k])));
        },
        100,
        20,
      );
      await reader.get(1); // idle: read at once
      const later = [2, 3].map((k) => reader.get(k));
      await new Promise((r) => setImmediate(r));
      expect(batches).toEqual([[1]]); // paced: not before 20 ms after the first read
      const more = reader.get(4);
      jest.advanceTimersByTime(20);
      await Promise.all([...later, more]);
      expect(batches).toEqual([[1], [2, 3, 4]]);
    } finally {
      jest.useRealTimers();
    }
  });
});
