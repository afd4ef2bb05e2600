/**
 * Jest global setup: gives every test run a MongoDB-wire server. An explicit MONGO_URI (e.g. a real
 * mongod in CI) wins; otherwise the in-memory mongo-java-server is started on a free port. Workers
 * inherit process.env, so test/utils/database.ts can derive a per-file database from MONGO_URI.
 */
import { MongoServerHandle, startMongoServer } from '../../tools/mongo-server/launch';

/** Shared with global-teardown.ts, which runs in the same (main Jest) process. */
export interface MongoGlobals {
  __ZLQ_MONGO_SERVER__?: MongoServerHandle;
}

const SLOW_START_MS = 5_000;

export default async function globalSetup(): Promise<void> {
  if (process.env.MONGO_URI) return;

  const startedAt = Date.now();
  const server = await startMongoServer();
  const took = Date.now() - startedAt;
  if (took > SLOW_START_MS) {
    process.stderr.write(`\nmongo-server: started in ${(took / 1000).toFixed(1)} s\n`);
  }

  // No database name here: each test file picks its own (testMongoUri), so files never share data.
  process.env.MONGO_URI = server.uri;
  (globalThis as MongoGlobals).__ZLQ_MONGO_SERVER__ = server;
}
