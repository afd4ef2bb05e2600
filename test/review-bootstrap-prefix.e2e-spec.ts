/**
 * Security review (issue 13): the audit log must never contain secrets. For an API_KEYS
 * (bootstrap) key the recorded `key_prefix` is the key's own first characters, i.e. part of the
 * secret, shown by GET /api/audit to every admin account (and kept in the database).
 */
import request from 'supertest';
import { createInstructor } from './utils/instructors';
import { createTestApp, TEST_API_KEY, type TestApp } from './utils/test-app';

describe('Review: bootstrap key material in the audit log (e2e)', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(async () => testApp.close());

  it('an audit entry written for a bootstrap key holds no part of that key', async () => {
    // Audited with the bootstrap key: instructor.created and api_key.created.
    const otherAdmin = await createInstructor(testApp, { role: 'admin' });
    const page = await request(testApp.url)
      .get('/api/audit')
      .set('X-API-Key', otherAdmin.key)
      .expect(200);
    const prefixes = (page.body.items as Array<{ actor_role: string; key_prefix: string | null }>)
      .filter((e) => e.actor_role === 'admin' && e.key_prefix !== null)
      .map((e) => e.key_prefix as string);
    expect(prefixes.length).toBeGreaterThan(0);
    // No stored or shown label may be a piece of the secret key itself.
    expect(prefixes.filter((p) => TEST_API_KEY.includes(p))).toEqual([]);
  });
});
