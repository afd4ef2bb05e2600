/**
 * Per-test-file databases on the shared test server (see test/setup/global-setup.ts), so test files
 * running in parallel workers never see each other's data and need no cleanup between files.
 */
import { randomBytes } from 'node:crypto';

/** MongoDB limits database names to 63 bytes; keep room for the prefix and the random suffix. */
const MAX_NAME_PART = 40;

/**
 * MONGO_URI with a unique database name: `zlq_<sanitised name>_<8 random hex chars>`.
 * Any database path already in MONGO_URI is replaced; its query string (replicaSet, authSource,
 * ...) is kept. Throws if MONGO_URI is not set (the Jest global setup always sets it).
 */
export function testMongoUri(name: string): string {
  const base = process.env.MONGO_URI;
  if (!base) {
    throw new Error(
      'MONGO_URI is not set: run tests through Jest (test/setup/global-setup.ts sets it)',
    );
  }
  const safe =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, MAX_NAME_PART) || 'test';
  const dbName = `zlq_${safe}_${randomBytes(4).toString('hex')}`;
  return withDatabase(base, dbName);
}

/**
 * Sets the database of a mongodb:// or mongodb+srv:// URI. Not done with `new URL()`: a
 * multi-host seed list (`h1:27017,h2:27017`) is not a valid URL host.
 */
export function withDatabase(uri: string, dbName: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/[^/?#]+)(\/[^?#]*)?(\?[^#]*)?$/.exec(uri);
  if (!match) throw new Error(`Not a mongodb:// URI: ${uri}`);
  const [, prefix, , query = ''] = match;
  return `${prefix}/${dbName}${query}`;
}
