import { Controller, Get, Logger, Module } from '@nestjs/common';
import { getConnectionToken, getModelToken } from '@nestjs/mongoose';
import type { Connection, Model } from 'mongoose';
import request from 'supertest';
import { DEV_ADMIN, seedDevAdmin } from '../src/dev/dev-seed';
import { createInstructor, type CreatedInstructor } from './utils/instructors';
import { SettableClock } from './utils/settable-clock';
import { createTestApp, TEST_API_KEY, TestApp } from './utils/test-app';
import { waitUntil } from './utils/wait';

/** The README's promise: a revocation or a disabled account is refused everywhere within 5 s. */
const CROSS_INSTANCE_BOUND_MS = 5000;

/** A route that forgot its role declaration: the guard must refuse it to everyone. */
@Controller('api/forgotten')
class ForgottenController {
  @Get()
  open(): { ok: true } {
    return { ok: true };
  }
}
@Module({ controllers: [ForgottenController] })
class ForgottenModule {}

describe('Instructors, roles and API keys (e2e, real database)', () => {
  let t: TestApp;
  const clock = new SettableClock();
  const api = () => request(t.url);
  const admin = { 'X-API-Key': TEST_API_KEY };

  beforeAll(async () => {
    t = await createTestApp({
      name: 'instructors',
      imports: [ForgottenModule],
      customize: (builder) => clock.install(builder),
    });
  });
  afterAll(async () => t.close());
  afterEach(() => clock.reset());

  const me = (key: string) => api().get('/api/me').set('X-API-Key', key);

  describe('keys', () => {
    it('work by both headers, are shown once and listed without secrets', async () => {
      const ada = await createInstructor(t, {
        role: 'instructor',
        name: 'Ada',
        email: 'ADA@Example.edu',
      });
      expect(ada.key).toMatch(/^zlq_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
      const byHeader = await me(ada.key).expect(200);
      expect(byHeader.body).toEqual({
        id: ada.id,
        name: 'Ada',
        email: 'ada@example.edu',
        role: 'instructor',
      });
      await api().get('/api/me').set('Authorization', `Bearer ${ada.key}`).expect(200);

      const list = await api().get(`/api/instructors/${ada.id}/api-keys`).set(admin).expect(200);
      expect(list.body.items).toEqual([
        {
          id: ada.keyId,
          prefix: ada.key.slice(4, 12),
          created_at: expect.any(String),
          // Written without holding up the request: covered by the last-use test below.
          last_used_at: list.body.items[0].last_used_at,
          expires_at: null,
          revoked_at: null,
        },
      ]);
      expect(JSON.stringify(list.body)).not.toContain(ada.key.slice(13));
    });

    it('leave their plain text in no collection of the database', async () => {
      const who = await createInstructor(t, { role: 'instructor' });
      // Use it on several routes, an idempotent one included, so every write path has run.
      await me(who.key).expect(200);
      await api().get('/api/questions').set('Authorization', `Bearer ${who.key}`).expect(200);
      await api()
        .post('/api/send-question')
        .set('X-API-Key', who.key)
        .set('Idempotency-Key', 'plain-key-search-1')
        .send({ meeting_id: '85746065432', question_id: '665f1c2e8a1b2c3d4e5f6a7b' });
      const secret = who.key.slice(13);
      expect(secret).toHaveLength(43);

      const connection = t.app.get<Connection>(getConnectionToken());
      const collections = await connection.db!.listCollections().toArray();
      expect(collections.map((c) => c.name)).toEqual(
        expect.arrayContaining(['api_keys', 'instructors']),
      );
      let searched = 0;
      for (const { name } of collections) {
        const docs = await connection.db!.collection(name).find({}).toArray();
        const text = JSON.stringify(docs);
        expect({ name, hasKey: text.includes(who.key), hasSecret: text.includes(secret) }).toEqual({
          name,
          hasKey: false,
          hasSecret: false,
        });
        searched += docs.length;
      }
      expect(searched).toBeGreaterThan(2);
    });

    it('refuses unknown, malformed, revoked and expired keys with 401 and a reason', async () => {
      const unknown = `zlq_0badc0de_${'A'.repeat(43)}`;
      expect((await me(unknown).expect(401)).body.message).toBe('The API key is not valid');
      expect((await me('zlq_short').expect(401)).body.message).toBe('The API key is not valid');

      const who = await createInstructor(t, { role: 'assistant' });
      await me(who.key).expect(200); // now cached on this instance
      await api().delete(`/api/instructors/${who.id}/api-keys/${who.keyId}`).set(admin).expect(204);
      expect((await me(who.key).expect(401)).body.message).toBe('This API key was revoked');
      // Revoking again changes nothing.
      await api().delete(`/api/instructors/${who.id}/api-keys/${who.keyId}`).set(admin).expect(204);
      const listed = await api().get(`/api/instructors/${who.id}/api-keys`).set(admin).expect(200);
      expect(listed.body.items[0].revoked_at).toEqual(expect.any(String));
    });

    it('refuses a key once it expires, cached or not', async () => {
      const who = await createInstructor(t, { role: 'instructor' });
      const created = await api()
        .post(`/api/instructors/${who.id}/api-keys`)
        .set('X-API-Key', who.key)
        .send({ expires_in_days: 1 })
        .expect(201);
      const expiresAt = Date.parse(created.body.expires_at);
      expect(expiresAt - Date.now()).toBeGreaterThan(23 * 3600_000);
      await me(created.body.key).expect(200);
      clock.set(expiresAt + 1);
      expect((await me(created.body.key).expect(401)).body.message).toMatch(
        /^This API key expired at /,
      );
      clock.reset();
      await me(created.body.key).expect(200);

      const at = new Date(Date.now() + 3600_000).toISOString();
      const byDate = await api()
        .post(`/api/instructors/${who.id}/api-keys`)
        .set('X-API-Key', who.key)
        .send({ expires_at: at })
        .expect(201);
      expect(byDate.body.expires_at).toBe(at);
      clock.set(Date.parse(at));
      await me(byDate.body.key).expect(401);
    });

    it('validates the expiry', async () => {
      const who = await createInstructor(t, { role: 'instructor' });
      const post = (body: object) =>
        api().post(`/api/instructors/${who.id}/api-keys`).set('X-API-Key', who.key).send(body);
      await post({ expires_in_days: 0 }).expect(400);
      await post({ expires_in_days: 3651 }).expect(400);
      await post({ expires_at: 'tomorrow' }).expect(400);
      await post({ expires_at: new Date(Date.now() - 1000).toISOString() }).expect(400);
      await post({
        expires_in_days: 1,
        expires_at: new Date(Date.now() + 9e6).toISOString(),
      }).expect(400);
    });

    it("bounds a self-made key by the expiry of the key that made it (an admin's excepted)", async () => {
      // An admin's expiry (a substitute's week) must bound that person's access.
      const who = await createInstructor(t, { role: 'instructor' });
      const limited = await api()
        .post(`/api/instructors/${who.id}/api-keys`)
        .set(admin)
        .send({ expires_in_days: 7 })
        .expect(201);
      const limit = limited.body.expires_at as string;
      const post = (body: object) =>
        api()
          .post(`/api/instructors/${who.id}/api-keys`)
          .set('X-API-Key', limited.body.key as string)
          .send(body);
      // No expiry asked: the presenting key's; an earlier one: as asked; a later one: 400.
      expect((await post({}).expect(201)).body.expires_at).toBe(limit);
      const sooner = await post({ expires_in_days: 3 }).expect(201);
      expect(Date.parse(sooner.body.expires_at as string)).toBeLessThan(Date.parse(limit));
      for (const later of [
        { expires_in_days: 8 },
        { expires_at: new Date(Date.parse(limit) + 1000).toISOString() },
      ]) {
        const refused = await post(later).expect(400);
        expect(refused.body.message).toContain(limit);
      }
      // An admin manages every account's keys: their own are not capped.
      const adminRecord = await createInstructor(t, { role: 'admin' });
      const adminLimited = await api()
        .post(`/api/instructors/${adminRecord.id}/api-keys`)
        .set(admin)
        .send({ expires_in_days: 7 })
        .expect(201);
      const adminOwn = await api()
        .post(`/api/instructors/${adminRecord.id}/api-keys`)
        .set('X-API-Key', adminLimited.body.key as string)
        .send({})
        .expect(201);
      expect(adminOwn.body.expires_at).toBeNull();
    });

    it('records last use at most once a minute per key', async () => {
      const who = await createInstructor(t, { role: 'instructor' });
      const keys = t.app.get<Model<unknown>>(getModelToken('ApiKey'));
      const writes = jest.spyOn(keys, 'updateOne');
      try {
        const start = Date.now();
        clock.set(start);
        for (let i = 0; i < 5; i++) await me(who.key).expect(200);
        clock.set(start + 59_000);
        await me(who.key).expect(200);
        expect(writes).toHaveBeenCalledTimes(1);
        clock.set(start + 61_000);
        await me(who.key).expect(200);
        expect(writes).toHaveBeenCalledTimes(2);
        await waitUntil(
          async () => {
            const res = await api().get(`/api/instructors/${who.id}/api-keys`).set(admin);
            return res.body.items[0].last_used_at === new Date(start + 61_000).toISOString();
          },
          5000,
          'last_used_at written',
        );
      } finally {
        writes.mockRestore();
      }
    });
  });

  describe('accounts', () => {
    it('answers /api/me for a bootstrap key, an admin, an instructor and an assistant', async () => {
      expect((await me(TEST_API_KEY).expect(200)).body).toEqual({
        id: null,
        name: 'Bootstrap key',
        email: null,
        role: 'admin',
      });
      for (const role of ['admin', 'instructor', 'assistant'] as const) {
        const who = await createInstructor(t, { role, name: `Me ${role}` });
        expect((await me(who.key).expect(200)).body).toEqual({
          id: who.id,
          name: `Me ${role}`,
          email: who.email,
          role,
        });
      }
    });

    it('creates, reads, lists and changes instructors; a taken email is 409', async () => {
      const created = await api()
        .post('/api/instructors')
        .set(admin)
        .send({
          name: ' Grace ',
          email: 'Grace@Example.EDU',
          role: 'assistant',
          zoom_user_id: 'KdYKjnimT4KPd8FFgQt9FQ',
        })
        .expect(201);
      expect(created.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{24}$/),
        name: 'Grace',
        email: 'grace@example.edu',
        zoom_user_id: 'KdYKjnimT4KPd8FFgQt9FQ',
        role: 'assistant',
        disabled: false,
        disabled_at: null,
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });
      const id = created.body.id as string;
      await api().get(`/api/instructors/${id}`).set(admin).expect(200);
      await api().get('/api/instructors/665f1c2e8a1b2c3d4e5f6a7b').set(admin).expect(404);
      const dup = await api()
        .post('/api/instructors')
        .set(admin)
        .send({ name: 'Other', email: 'GRACE@example.edu', role: 'instructor' })
        .expect(409);
      expect(dup.body.message).toContain('grace@example.edu');

      const other = await createInstructor(t, { role: 'instructor' });
      await api()
        .patch(`/api/instructors/${other.id}`)
        .set(admin)
        .send({ email: 'grace@EXAMPLE.edu' })
        .expect(409);
      const patched = await api()
        .patch(`/api/instructors/${id}`)
        .set(admin)
        .send({ role: 'instructor', zoom_user_id: null, name: 'Grace H' })
        .expect(200);
      expect(patched.body).toMatchObject({
        role: 'instructor',
        zoom_user_id: null,
        name: 'Grace H',
      });

      await api()
        .post('/api/instructors')
        .set(admin)
        .send({ name: 'x', email: 'nope', role: 'instructor' })
        .expect(400);
      await api()
        .post('/api/instructors')
        .set(admin)
        .send({ name: 'x', email: 'a@b.c', role: 'owner' })
        .expect(400);
      await api().patch(`/api/instructors/${id}`).set(admin).send({ disabled: 'yes' }).expect(400);
      await api().patch(`/api/instructors/${id}`).set(admin).send({ name: null }).expect(400);

      const page = await api().get('/api/instructors?limit=1').set(admin).expect(200);
      expect(page.body.items).toHaveLength(1);
      expect(page.body.total).toBeGreaterThan(1);
      const next = await api()
        .get(`/api/instructors?limit=1&cursor=${page.body.next_cursor as string}`)
        .set(admin)
        .expect(200);
      expect(next.body.items[0].id).not.toBe(page.body.items[0].id);
      const assistants = await api()
        .get('/api/instructors?role=assistant&limit=100')
        .set(admin)
        .expect(200);
      expect(assistants.body.items.every((i: { role: string }) => i.role === 'assistant')).toBe(
        true,
      );
    });

    it("refuses a disabled account's keys at once, and takes them back when enabled", async () => {
      const who = await createInstructor(t, { role: 'instructor' });
      await me(who.key).expect(200);
      const disabled = await api()
        .patch(`/api/instructors/${who.id}`)
        .set(admin)
        .send({ disabled: true })
        .expect(200);
      expect(disabled.body).toMatchObject({ disabled: true, disabled_at: expect.any(String) });
      expect((await me(who.key).expect(401)).body.message).toBe(
        "This API key's instructor account is disabled",
      );
      await api().post(`/api/instructors/${who.id}/api-keys`).set(admin).send({}).expect(409);
      await api()
        .patch(`/api/instructors/${who.id}`)
        .set(admin)
        .send({ disabled: false })
        .expect(200);
      await me(who.key).expect(200);
    });

    it("lets anyone manage their own keys and nobody else's but an admin (404, not 403)", async () => {
      const instructor = await createInstructor(t, { role: 'instructor' });
      const assistant = await createInstructor(t, { role: 'assistant' });
      const adminRecord = await createInstructor(t, { role: 'admin' });
      for (const self of [instructor, assistant]) {
        const own = await api()
          .post(`/api/instructors/${self.id}/api-keys`)
          .set('X-API-Key', self.key)
          .send({})
          .expect(201);
        await me(own.body.key).expect(200);
        await api()
          .get(`/api/instructors/${self.id}/api-keys`)
          .set('X-API-Key', self.key)
          .expect(200);
      }
      const others: Array<[CreatedInstructor, CreatedInstructor]> = [
        [instructor, assistant],
        [assistant, instructor],
        [instructor, adminRecord],
      ];
      for (const [caller, target] of others) {
        const as = { 'X-API-Key': caller.key };
        const res = await api()
          .post(`/api/instructors/${target.id}/api-keys`)
          .set(as)
          .send({})
          .expect(404);
        expect(res.body.message).toBe(`Instructor ${target.id} not found`);
        await api().get(`/api/instructors/${target.id}/api-keys`).set(as).expect(404);
        await api()
          .delete(`/api/instructors/${target.id}/api-keys/${target.keyId}`)
          .set(as)
          .expect(404);
      }
      await me(assistant.key).expect(200); // untouched by the refused revocations
      // A key id under the wrong instructor is not found either, even for an admin.
      await api()
        .delete(`/api/instructors/${instructor.id}/api-keys/${assistant.keyId}`)
        .set('X-API-Key', adminRecord.key)
        .expect(404);
      await api()
        .post(`/api/instructors/${instructor.id}/api-keys`)
        .set('X-API-Key', adminRecord.key)
        .send({})
        .expect(201);
    });
  });

  it('seeds one development admin however often the development entry starts', async () => {
    await seedDevAdmin(t.app);
    await seedDevAdmin(t.app);
    const admins = await api().get('/api/instructors?role=admin&limit=100').set(admin).expect(200);
    const seeded = admins.body.items.filter((i: { email: string }) => i.email === DEV_ADMIN.email);
    expect(seeded).toEqual([expect.objectContaining({ name: 'Development admin', role: 'admin' })]);
  });

  describe('roles', () => {
    it('answers 403 naming the role a route needs', async () => {
      const assistant = await createInstructor(t, { role: 'assistant' });
      const instructor = await createInstructor(t, { role: 'instructor' });
      const refused = await api()
        .post('/api/questions')
        .set('X-API-Key', assistant.key)
        .send({ title: 't', question_text: 'q', options: ['a', 'b'] })
        .expect(403);
      expect(refused.body).toEqual({
        statusCode: 403,
        error: 'Forbidden',
        message: "This needs the instructor role or better; this key's role is assistant",
      });
      const notAdmin = await api()
        .get('/api/instructors')
        .set('X-API-Key', instructor.key)
        .expect(403);
      expect(notAdmin.body.message).toContain('admin role');
      await api().get('/api/questions').set('X-API-Key', instructor.key).expect(200);
      // The role lets an assistant through; the meeting then needs a grant (src/access).
      await api()
        .put(`/api/meetings/85746065432/instructors/${assistant.id}`)
        .set(admin)
        .send({ role: 'assistant' })
        .expect(200);
      await api()
        .get('/api/meetings/85746065432/broadcasts')
        .set('X-API-Key', assistant.key)
        .expect(200);
    });

    it('refuses a route with no role declaration to everyone, and logs which route', async () => {
      const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      try {
        const adminRecord = await createInstructor(t, { role: 'admin' });
        for (const key of [TEST_API_KEY, adminRecord.key]) {
          const res = await api().get('/api/forgotten').set('X-API-Key', key).expect(403);
          expect(res.body.message).toBe('This route is not open to any role');
        }
        await api().get('/api/forgotten').expect(401);
        expect(errors).toHaveBeenCalledWith(expect.stringContaining('GET /api/forgotten'));
      } finally {
        errors.mockRestore();
      }
    });
  });

  describe('a second instance on the same database', () => {
    let second: TestApp;
    beforeAll(async () => {
      second = await createTestApp({
        name: 'instructors-2',
        env: { MONGO_URI: t.config.mongoUri },
      });
    });
    afterAll(async () => second.close());
    const onSecond = (key: string) => request(second.url).get('/api/me').set('X-API-Key', key);

    /** Waits for `key` to be refused on the second instance; fails if it takes longer than the bound. */
    async function refusedWithinBound(key: string): Promise<void> {
      await waitUntil(
        async () => (await onSecond(key)).status === 401,
        CROSS_INSTANCE_BOUND_MS,
        'the second instance to refuse the key',
      );
    }

    it('refuses a key revoked on the first within 5 s', async () => {
      const who = await createInstructor(t, { role: 'instructor' });
      await onSecond(who.key).expect(200);
      await onSecond(who.key).expect(200); // cached there now
      await api().delete(`/api/instructors/${who.id}/api-keys/${who.keyId}`).set(admin).expect(204);
      await refusedWithinBound(who.key);
      expect((await onSecond(who.key)).body.message).toBe('This API key was revoked');
    });

    it('refuses the keys of an account disabled on the first within 5 s', async () => {
      const who = await createInstructor(t, { role: 'assistant' });
      await onSecond(who.key).expect(200);
      await onSecond(who.key).expect(200);
      await api()
        .patch(`/api/instructors/${who.id}`)
        .set(admin)
        .send({ disabled: true })
        .expect(200);
      await refusedWithinBound(who.key);
      expect((await onSecond(who.key)).body.message).toBe(
        "This API key's instructor account is disabled",
      );
    });
  });
});
