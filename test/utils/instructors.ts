import request from 'supertest';
import type { Role } from '../../src/common/auth/actor';
import { TEST_API_KEY, type TestApp } from './test-app';

export interface CreatedInstructor {
  id: string;
  /** The instructor's API key (send as X-API-Key or Authorization: Bearer). */
  key: string;
  /** The key's id, for DELETE /api/instructors/{id}/api-keys/{key_id}. */
  keyId: string;
  email: string;
}

let sequence = 0;

/**
 * An instructor account with one API key, made through the HTTP API with the bootstrap admin key
 * (TEST_API_KEY), as an operator would. Emails are unique per call unless given. Call it one at a
 * time: the test server can fail concurrent inserts under a unique index (docs/architecture.md §12).
 */
export async function createInstructor(
  testApp: TestApp,
  options: { role: Role; email?: string; name?: string; zoom_user_id?: string },
): Promise<CreatedInstructor> {
  sequence += 1;
  const email = options.email ?? `${options.role}-${sequence}-${Date.now()}@example.edu`;
  const created = await request(testApp.url)
    .post('/api/instructors')
    .set('X-API-Key', TEST_API_KEY)
    .send({
      name: options.name ?? `Test ${options.role} ${sequence}`,
      email,
      role: options.role,
      ...(options.zoom_user_id !== undefined ? { zoom_user_id: options.zoom_user_id } : {}),
    });
  if (created.status !== 201) {
    throw new Error(
      `creating an instructor answered ${created.status}: ${JSON.stringify(created.body)}`,
    );
  }
  const id = created.body.id as string;
  const key = await request(testApp.url)
    .post(`/api/instructors/${id}/api-keys`)
    .set('X-API-Key', TEST_API_KEY)
    .send({});
  if (key.status !== 201) {
    throw new Error(`creating an API key answered ${key.status}: ${JSON.stringify(key.body)}`);
  }
  return { id, key: key.body.key as string, keyId: key.body.id as string, email };
}
