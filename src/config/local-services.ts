import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../common/project-root';

export interface LocalServices {
  stop(): Promise<void>;
}

/**
 * Development convenience: with no MONGO_URI, start the in-repo MongoDB-wire server (data kept in
 * `.data/`); with no Zoom credentials, start the in-repo Zoom simulator and point the app at it;
 * with no API key, generate one and print it once. Production never takes these paths: there a
 * missing variable is a startup error (env.schema.ts).
 */
export async function startLocalServices(
  env: NodeJS.ProcessEnv = process.env,
): Promise<LocalServices> {
  const logger = new Logger('LocalServices');
  const stops: Array<() => Promise<void>> = [];
  if ((env.NODE_ENV ?? 'development') === 'production') return { stop: async () => {} };

  if (!env.MONGO_URI) {
    const dataDir = join(projectRoot(), '.data', 'mongo');
    mkdirSync(dataDir, { recursive: true });
    // Loaded lazily: production never needs the development tools.
    const { startMongoServer } = await import('../../tools/mongo-server/launch');
    const server = await startMongoServer({ dataFile: join(dataDir, 'zoom-live-questions.mv') });
    stops.push(() => server.stop());
    env.MONGO_URI = `${server.uri}/zoom_live_questions`;
    logger.log(
      `Database: local MongoDB-wire server (mongo-java-server, data in ${dataDir}) at ${server.uri}`,
    );
  } else {
    logger.log(`Database: MONGO_URI (${redactUri(env.MONGO_URI)})`);
  }

  if (!env.ZOOM_CLIENT_ID || !env.ZOOM_CLIENT_SECRET || !env.ZOOM_ACCOUNT_ID) {
    const { startZoomSimulator } = await import('../../tools/zoom-simulator');
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
    const port = env.PORT || '3000';
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

  if (!env.API_KEYS) {
    const key = randomBytes(24).toString('base64url');
    env.API_KEYS = key;
    // Printed once, on purpose: this is the only way a developer learns the generated key.
    logger.warn(`No API_KEYS set: generated a development key for this run: ${key}`);
  }

  return {
    stop: async () => {
      for (const stop of stops.reverse()) await stop();
    },
  };
}

function redactUri(uri: string): string {
  return uri.replace(/\/\/([^@/]+)@/, '//***@');
}
