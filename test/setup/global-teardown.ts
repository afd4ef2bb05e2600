/** Jest global teardown: stops the server global-setup.ts started (nothing to do if MONGO_URI was given). */
import type { MongoGlobals } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const globals = globalThis as MongoGlobals;
  const server = globals.__ZLQ_MONGO_SERVER__;
  if (!server) return;
  globals.__ZLQ_MONGO_SERVER__ = undefined;
  await server.stop();
}
