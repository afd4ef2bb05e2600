import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { startMongoServer } from '../../tools/mongo-server/launch';
import { startZoomSimulator } from '../../tools/zoom-simulator';
import { projectRoot } from '../common/project-root';
import type { RawEnv } from '../config/environment';

export interface DevServices {
  /** The environment to configure the app from: the given one, with the gaps filled in. */
  env: RawEnv;
  stop(): Promise<void>;
}

/** A second `npm run dev` on the same data folder: explained in one line, no stack trace. */
export class DevDataInUseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DevDataInUseError';
  }
}

/** Written into the data folder while a dev server uses it, so a second one can say who. */
const OWNER_FILE = 'dev-server.json';

/**
 * Development convenience, used only by the development entry (src/dev/main.ts): with no
 * MONGO_URI, start the in-repo MongoDB-wire server (data kept in `.data/mongo`, or DEV_DATA_DIR);
 * with no Zoom credentials, start the in-repo Zoom simulator and point the app at it; with no API
 * key, generate one and print it once. Returns the filled-in environment; `process.env` is left
 * as it was.
 */
export async function startDevServices(given: RawEnv): Promise<DevServices> {
  const logger = new Logger('DevServices');
  const env: RawEnv = { ...given };
  const stops: Array<() => Promise<void>> = [];
  const port = env.PORT || '3000';

  if (!env.MONGO_URI) {
    const dataDir = resolve(projectRoot(), env.DEV_DATA_DIR || join('.data', 'mongo'));
    mkdirSync(dataDir, { recursive: true });
    let server;
    try {
      server = await startMongoServer({ dataFile: join(dataDir, 'zoom-live-questions.mv') });
    } catch (error) {
      if (error instanceof Error && /file is locked|already in use/i.test(error.message)) {
        throw new DevDataInUseError(dataInUse(dataDir));
      }
      throw error;
    }
    const ownerFile = join(dataDir, OWNER_FILE);
    writeFileSync(ownerFile, JSON.stringify({ pid: process.pid, port: Number(port) }));
    stops.push(async () => {
      rmSync(ownerFile, { force: true });
      await server.stop();
    });
    env.MONGO_URI = `${server.uri}/zoom_live_questions`;
    logger.log(
      `Database: local MongoDB-wire server (mongo-java-server, data in ${dataDir}) at ${server.uri}`,
    );
  } else {
    logger.log(`Database: MONGO_URI (${redactUri(env.MONGO_URI)})`);
  }

  if (!env.ZOOM_CLIENT_ID || !env.ZOOM_CLIENT_SECRET || !env.ZOOM_ACCOUNT_ID) {
    const sim = await startZoomSimulator({
      webhookSecretToken: env.ZOOM_WEBHOOK_SECRET_TOKEN || undefined,
    });
    stops.push(() => sim.close());
    const sender = sim.addUser({
      email: env.ZOOM_CHAT_SENDER || 'quiz-host@example.com',
      name: 'Quiz Host',
    });
    Object.assign(env, {
      ZOOM_ACCOUNT_ID: sim.accountId,
      ZOOM_CLIENT_ID: sim.clientId,
      ZOOM_CLIENT_SECRET: sim.clientSecret,
      ZOOM_WEBHOOK_SECRET_TOKEN: sim.webhookSecretToken,
      ZOOM_CHAT_SENDER: sender.email,
      ZOOM_API_BASE_URL: sim.apiBaseUrl,
      ZOOM_OAUTH_URL: sim.oauthUrl,
      ZOOM_SIMULATED: 'true',
    });
    sim.setWebhookTarget(`http://127.0.0.1:${port}/api/zoom/webhook`);
    logger.warn('*'.repeat(78));
    logger.warn('No Zoom credentials: talking to the in-repo ZOOM SIMULATOR, not to Zoom.');
    logger.warn(
      `Simulator: ${sim.url} (control API under ${sim.url}/_sim/, see tools/zoom-simulator/README.md)`,
    );
    logger.warn(
      'Set ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET to use a real Zoom account.',
    );
    logger.warn('*'.repeat(78));
  }

  // The instructor console (docs/architecture.md §15): sign in there with the key.
  const consoleUrl = `${env.BASE_URL || `http://localhost:${env.PORT || '3000'}`}/console`;
  if (!env.API_KEYS) {
    const key = randomBytes(24).toString('base64url');
    env.API_KEYS = key;
    // Printed once, on purpose: this is the only way a developer learns the generated key.
    logger.warn(
      `No API_KEYS set: generated a development key (a bootstrap admin) for this run: ${key}`,
    );
    logger.warn(`Instructor console: ${consoleUrl} (sign in with the key above)`);
  } else {
    logger.log(`Instructor console: ${consoleUrl} (sign in with one of API_KEYS)`);
  }

  return {
    env,
    stop: async () => {
      for (const stop of stops.reverse()) await stop();
    },
  };
}

/** One line: who holds the data folder (when it can tell) and how to run a second instance. */
function dataInUse(dataDir: string): string {
  const shown = relative(projectRoot(), dataDir) || dataDir;
  let holder = 'another process (a second `npm run dev`?)';
  const ownerFile = join(dataDir, OWNER_FILE);
  if (existsSync(ownerFile)) {
    try {
      const owner = JSON.parse(readFileSync(ownerFile, 'utf8')) as { pid: number; port: number };
      process.kill(owner.pid, 0); // throws when that process is gone
      holder = `\`npm run dev\` (pid ${owner.pid}, http://localhost:${owner.port})`;
    } catch {
      // stale or unreadable: keep the generic wording
    }
  }
  return (
    `The development database in ${shown} is in use by ${holder}: stop it, or run this one ` +
    `with its own data folder and port, e.g. DEV_DATA_DIR=.data/mongo-2 PORT=3001 npm run dev ` +
    `(or MONGO_URI=<connection string> for a database of your own).`
  );
}

function redactUri(uri: string): string {
  return uri.replace(/\/\/([^@/]+)@/, '//***@');
}
