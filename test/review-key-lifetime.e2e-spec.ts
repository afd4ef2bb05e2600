/**
 * Security review (issue 13): an instructor may create keys for themselves, but a key an admin
 * gave with an expiry can mint a key that never expires, so the admin's expiry (say, a
 * substitute teacher's week) is not a bound on that person's access.
 */
import request from 'supertest';
import { createInstructor } from './utils/instructors';
import { createTestApp, TEST_API_KEY, type TestApp } from './utils/test-app';

describe('Review: self-made keys outliving the key that made them (e2e)', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(async () => testApp.close());

  it("a key made with an expiring key expires no later than it (unless an admin's)", async () => {
    const who = await createInstructor(testApp, { role: 'instructor' });
    const limited = await request(testApp.url)
      .post(`/api/instructors/${who.id}/api-keys`)
      .set('X-API-Key', TEST_API_KEY)
      .send({ expires_in_days: 7 })
      .expect(201);
    const limitedExpiry = Date.parse(limited.body.expires_at as string);

    const minted = await request(testApp.url)
      .post(`/api/instructors/${who.id}/api-keys`)
      .set('X-API-Key', limited.body.key as string)
      .send({});
    // Either refused, or bounded by the expiry of the key that asked for it.
    const bounded =
      minted.status >= 400 ||
      (minted.body.expires_at !== null &&
        Date.parse(minted.body.expires_at as string) <= limitedExpiry);
    expect({ status: minted.status, expires_at: minted.body.expires_at, bounded }).toMatchObject({
      bounded: true,
    });
  });
});
