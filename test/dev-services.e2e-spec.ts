import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DevDataInUseError, DevServices, startDevServices } from '../src/dev/dev-services';

/** Zoom credentials and a key given, so only the local database is started. */
const env = (dataDir: string) => ({
  DEV_DATA_DIR: dataDir,
  PORT: '3999',
  API_KEYS: 'dev-services-test-key-0123',
  ZOOM_ACCOUNT_ID: 'a',
  ZOOM_CLIENT_ID: 'b',
  ZOOM_CLIENT_SECRET: 'c',
});

describe('npm run dev twice on one data folder', () => {
  let dataDir: string;
  let first: DevServices | undefined;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'zlq-dev-'))));
  afterEach(async () => {
    await first?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('says in one line who holds the database and how to run another, instead of a stack trace', async () => {
    const given = env(dataDir);
    first = await startDevServices(given);
    expect(first.env.MONGO_URI).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+\/zoom_live_questions$/);
    expect(given).not.toHaveProperty('MONGO_URI'); // the caller's environment is left as it was

    const second = startDevServices(env(dataDir));
    await expect(second).rejects.toBeInstanceOf(DevDataInUseError);
    const message = await second.catch((error: Error) => error.message);
    expect(message).not.toContain('\n');
    expect(message).toContain(`\`npm run dev\` (pid ${process.pid}, http://localhost:3999)`);
    expect(message).toMatch(/DEV_DATA_DIR=\S+ PORT=\d+ npm run dev/);
  }, 360_000);
});
