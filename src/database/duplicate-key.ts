/**
 * A unique index refused a write: a concurrent insert of the same key won. One classifier for
 * every engine the service runs on (docs/architecture.md §16), so every caller treats the race by
 * what it is rather than by one engine's error code.
 *
 * - MongoDB 6/7 (and the test server, tools/mongo-server): code 11000 ("E11000 duplicate key").
 * - PostgreSQL-based engines (Azure Cosmos DB for MongoDB vCore / DocumentDB, FerretDB 2) keep a
 *   unique index as an exclusion constraint: two upserts of one new key racing each other were
 *   measured answering code 1 with "conflicting key value violates exclusion constraint".
 */
export const DUPLICATE_KEY = 11000;

/** The PostgreSQL-based engines' generic code and message for that conflict. */
const EXCLUSION_CONFLICT_CODE = 1;
const EXCLUSION_CONFLICT = /conflicting key value violates exclusion constraint/i;

/** Tries of an upsert that lost its insert race before the conflict is thrown. */
const LOST_RACE_ATTEMPTS = 3;

/**
 * Whether `error` (a driver error, or one entry of a bulk write's `writeErrors`) says a unique
 * index refused the write.
 */
export function isDuplicateKey(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, errmsg, message } = error as {
    code?: unknown;
    errmsg?: unknown;
    message?: unknown;
  };
  if (code === DUPLICATE_KEY) return true;
  if (code !== EXCLUSION_CONFLICT_CODE) return false;
  const text = `${typeof errmsg === 'string' ? errmsg : ''} ${typeof message === 'string' ? message : ''}`;
  return EXCLUSION_CONFLICT.test(text);
}

/**
 * Runs an upsert whose filter is exactly a unique key again when it lost the insert race to a
 * concurrent one (isDuplicateKey): the second try finds the winner's document and updates it.
 * Only for writes that are safe to repeat (the same update applied to the document that won).
 * MongoDB retries such an upsert itself since 4.2; the PostgreSQL-based engines do not.
 */
export async function retryLostInsertRace<T>(upsert: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await upsert();
    } catch (error: unknown) {
      if (!isDuplicateKey(error) || attempt >= LOST_RACE_ATTEMPTS) throw error;
    }
  }
}
