/**
 * Every accommodation the code makes for the development and test database, in one place.
 *
 * Development and the tests run mongo-java-server (tools/mongo-server), a MongoDB wire-protocol
 * server in Java; production runs real MongoDB 6/7. Each helper below says what the test server
 * does, why the code accommodates it, and what real MongoDB does. Every one stays correct on real
 * MongoDB (where it is a no-op or an equivalent form); none may be the only thing keeping data
 * right there.
 */
import { mongo } from 'mongoose';

/**
 * mongo-java-server sometimes answers a race between concurrent upserts of one unique key with
 * "Unknown error: null" and no error code. MongoDB 6/7 always sends a code: for that race, 11000
 * (duplicate key), which callers already handle (and since 4.2 it retries such an upsert itself
 * when the filter is an equality match on the unique key). So on real MongoDB this never matches.
 */
export function isTestServerCodelessError(error: unknown): boolean {
  return (
    error instanceof mongo.MongoServerError &&
    error.code === undefined &&
    /^Unknown error/.test(error.message)
  );
}

/** Tries of an operation hit by isTestServerCodelessError before its error is thrown. */
const CODELESS_ERROR_ATTEMPTS = 3;

/**
 * Runs `write` again when the test server answers with its codeless error (above); any other
 * outcome is returned or thrown as is. Only for writes that are safe to repeat (conditional or
 * idempotent), which an upsert that lost a race is.
 */
export async function retryTestServerCodelessError<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error: unknown) {
      if (!isTestServerCodelessError(error) || attempt >= CODELESS_ERROR_ATTEMPTS) throw error;
    }
  }
}

/**
 * Runs work for one key one at a time within this process. mongo-java-server mishandles
 * concurrent upserts of one unique key: besides the codeless error above it can even store two
 * documents under the key. On MongoDB 6/7 the unique index and conditional writes are enough on
 * their own (and they are what keeps several instances right); there, taking one key's writes in
 * turn only saves the duplicate-key round trips of a burst of retries.
 */
export class PerKeySerializer {
  /** Per key: the end of the last piece of work queued (removed once the queue drains). */
  private readonly tails = new Map<string, Promise<void>>();

  run(key: string, work: () => Promise<void>): Promise<void> {
    const run = (this.tails.get(key) ?? Promise.resolve()).then(work);
    const tail = run.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return run;
  }
}

/**
 * `field` missing, null or below `value`, as one flat condition (`$not: {$gte}`) rather than
 * `$or: [{field: null}, {field: {$lt}}]`. mongo-java-server uses no index beyond an exact
 * unique-key match and evaluates a filter against every document it scans, where an `$and`/`$or`
 * tree costs about five times the comparisons (bench/webhook-filter-shape.ts measures both shapes).
 * On MongoDB 6/7 the two forms select exactly the same documents.
 */
export function unsetOrBelow(field: string, value: number): Record<string, unknown> {
  return { [field]: { $not: { $gte: value } } };
}

/** `field` missing, null or at most `value`; flat for the same reason as unsetOrBelow. */
export function unsetOrAtMost(field: string, value: number): Record<string, unknown> {
  return { [field]: { $not: { $gt: value } } };
}
