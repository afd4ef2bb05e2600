import { INestApplication, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { InstructorsService } from '../instructors/instructors.service';

/** The first admin account of a development database (the API_KEYS key stays the bootstrap admin). */
export const DEV_ADMIN = {
  name: 'Development admin',
  email: 'admin@localhost',
  role: 'admin',
} as const;

/**
 * Development only (src/dev/main.ts): makes sure the development database has an admin
 * instructor, and prints how to give an instructor a key of their own. Safe at every start.
 */
export async function seedDevAdmin(app: INestApplication): Promise<void> {
  const logger = new Logger('DevSeed');
  const base = app.get(AppConfig).baseUrl;
  try {
    const admin = await app.get(InstructorsService).ensure(DEV_ADMIN);
    const id = admin._id.toHexString();
    logger.log(`Development admin instructor: ${DEV_ADMIN.email} (id ${id})`);
    logger.log(
      'Create an instructor, then a key for them (shown once), with DEV_KEY set to the development key (API_KEYS, or the one generated above):\n' +
        `  curl -s -X POST ${base}/api/instructors -H "X-API-Key: $DEV_KEY" -H "Content-Type: application/json" ` +
        `-d '{"name":"Ada Lovelace","email":"ada@example.edu","role":"instructor"}'\n` +
        `  curl -s -X POST ${base}/api/instructors/<id>/api-keys -H "X-API-Key: $DEV_KEY"\n` +
        `(or a key for the development admin itself: curl -s -X POST ${base}/api/instructors/${id}/api-keys -H "X-API-Key: $DEV_KEY")`,
    );
  } catch (error) {
    logger.warn(`Development admin instructor not seeded: ${(error as Error).message}`);
  }
}
