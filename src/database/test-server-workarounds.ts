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
 * "Unknown error: null" and no error code, as a command's error or as one entry of a bulk
 * write's `writeErrors`. MongoDB 6/7 always sends a code: for that race, 11000 (duplicate key),
 * which callers already handle (and since 4.2 it retries such an upsert itself when the filter is
 * an equality match on the unique key). So on real MongoDB this never matches.
 */
export function isTestServerCodelessError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, errmsg, message } = error as {
    code?: unknown;
    errmsg?: unknown;
    message?: unknown;
  };
  if (code !== undefined) return false;
  // A command's error carries the text as its message; a bulk write entry as its errmsg.
  const text = error instanceof mongo.MongoServerError ? message : errmsg;
  return typeof text === 'string' && /^Unknown error/.test(text);
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
