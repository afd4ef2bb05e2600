import { GroupCommit } from './group-commit';

/** A write that can be held open, so items submitted meanwhile queue behind it. */
function controlledWrite() {
  const batches: number[][] = [];
  let release: (() => void) | null = null;
  const write = jest.fn(async (items: number[]) => {
    batches.push(items);
    if (batches.length === 1) await new Promise<void>((r) => (release = r));
    return items.map((i) => (i < 0 ? new Error(`bad ${i}`) : null));
  });
  return { write, batches, release: () => release?.() };
}

describe('GroupCommit', () => {
  it('writes items submitted together as one batch, and those arriving during a write as the next', async () => {
    const { write, batches, release } = controlledWrite();
    const commits = new GroupCommit<number>(write, 100);
    const first = [1, 2, 3].map((i) => commits.submit(i));
    await new Promise((r) => setImmediate(r));
    const second = [4, 5].map((i) => commits.submit(i));
    await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([[1, 2, 3]]); // the second waits for the first to be durable
    release();
    await Promise.all([...first, ...second]);
    expect(batches).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it('answers each item with its own outcome', async () => {
    const commits = new GroupCommit<number>(
      (items) => Promise.resolve(items.map((i) => (i < 0 ? new Error(`bad ${i}`) : null))),
      100,
    );
    const outcomes = await Promise.allSettled([1, -2, 3].map((i) => commits.submit(i)));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toEqual(new Error('bad -2'));
  });

  it('a batch that fails fails every item in it with that error, and the next batch still runs', async () => {
    const down = new Error('database unreachable');
    const write = jest
      .fn<Promise<unknown[]>, [number[]]>()
      .mockRejectedValueOnce(down)
      .mockImplementation((items) => Promise.resolve(items.map(() => null)));
    const commits = new GroupCommit<number>(write, 100);
    const failed = await Promise.allSettled([1, 2].map((i) => commits.submit(i)));
    expect(failed).toEqual([
      { status: 'rejected', reason: down },
      { status: 'rejected', reason: down },
    ]);
    await expect(commits.submit(3)).resolves.toBeUndefined();
  });

  it('caps a batch at maxBatch items', async () => {
    const sizes: number[] = [];
    const commits = new GroupCommit<number>((items) => {
      sizes.push(items.length);
      return Promise.resolve(items.map(() => null));
    }, 2);
    await Promise.all([1, 2, 3, 4, 5].map((i) => commits.submit(i)));
    expect(sizes).toEqual([2, 2, 1]);
  });

  it('with minIntervalMs, holds the next batch until that long after the previous one started', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick'] });
    try {
      const batches: number[][] = [];
      const commits = new GroupCommit<number>(
        (items) => {
          batches.push(items);
          return Promise.resolve(items.map(() => null));
        },
        100,
        100,
      );
      await commits.submit(1); // after a quiet spell: written at once
      const later = [2, 3].map((i) => commits.submit(i));
      await new Promise((r) => setImmediate(r));
      expect(batches).toEqual([[1]]);
      const more = commits.submit(4);
      jest.advanceTimersByTime(100);
      await Promise.all([...later, more]);
      expect(batches).toEqual([[1], [2, 3, 4]]);
    } finally {
      jest.useRealTimers();
    }
  });
});
