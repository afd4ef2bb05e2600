import { Logger } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import request from 'supertest';
import { createTestApp, TEST_API_KEY, TestApp } from './utils/test-app';
import {
  countStored,
  meetingEvent,
  participantEvent,
  postWebhook,
  TEST_WEBHOOK_SECRET,
  zoomSignature,
} from './utils/webhook-helpers';

const NEXT_SECRET = 'next-rotation-secret-0123';
const MEETING = '85746065432';

describe('POST /api/zoom/webhook (e2e, real database)', () => {
  let t: TestApp;
  let ts = Date.now();
  const nextTs = () => ++ts;

  const joined = (userId: string, extra: Record<string, string> = {}) =>
    JSON.stringify(
      participantEvent('joined', {
        meetingId: MEETING,
        uuid: 'occ-1==',
        ts: nextTs(),
        participant: { user_id: userId, user_name: `User ${userId}`, ...extra },
      }),
    );

  beforeAll(async () => {
    t = await createTestApp({
      name: 'webhook',
      env: { ZOOM_WEBHOOK_SECRET_TOKEN_NEXT: NEXT_SECRET },
    });
  });
  afterAll(async () => t.close());

  describe('endpoint.url_validation', () => {
    it('answers plainToken and hex(HMAC_SHA256(secret, plainToken))', async () => {
      const raw = JSON.stringify({
        event: 'endpoint.url_validation',
        event_ts: Date.now(),
        payload: { plainToken: 'qgg8vlvZRS6UYooatFL8Aw' },
      });
      const res = await postWebhook(t.url, raw);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        plainToken: 'qgg8vlvZRS6UYooatFL8Aw',
        encryptedToken: createHmac('sha256', TEST_WEBHOOK_SECRET)
          .update('qgg8vlvZRS6UYooatFL8Aw')
          .digest('hex'),
      });
    });

    it('answers with the secret that signed the request during a rotation', async () => {
      const raw = JSON.stringify({
        event: 'endpoint.url_validation',
        event_ts: Date.now(),
        payload: { plainToken: 'rotating' },
      });
      const res = await postWebhook(t.url, raw, { secret: NEXT_SECRET });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        plainToken: 'rotating',
        encryptedToken: createHmac('sha256', NEXT_SECRET).update('rotating').digest('hex'),
      });
    });

    it('refuses an unsigned validation (no oracle for HMACs of chosen tokens)', async () => {
      const raw = JSON.stringify({
        event: 'endpoint.url_validation',
        event_ts: Date.now(),
        payload: { plainToken: 'x' },
      });
      expect((await postWebhook(t.url, raw, { signature: null })).status).toBe(401);
    });
  });

  describe('signature', () => {
    it('accepts a correctly signed event without an API key and stores it', async () => {
      const before = await countStored(t);
      const res = await postWebhook(t.url, joined('1001', { participant_uuid: 'P-1001' }));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ event: 'meeting.participant_joined', handled: true });
      const after = await countStored(t);
      expect(after.participants).toBe(before.participants + 1);
    });

    it('accepts the "next" rotation secret', async () => {
      const res = await postWebhook(t.url, joined('1002'), { secret: NEXT_SECRET });
      expect(res.status).toBe(200);
    });

    const rejections: Array<[string, (raw: string) => Promise<{ status: number; body: unknown }>]> =
      [
        ['no signature header', (raw) => postWebhook(t.url, raw, { signature: null })],
        ['an empty signature', (raw) => postWebhook(t.url, raw, { signature: '' })],
        ['a wrong secret', (raw) => postWebhook(t.url, raw, { secret: 'not-the-secret' })],
        [
          'a signature without the v0= prefix',
          (raw) => {
            const ts = Math.floor(Date.now() / 1000);
            const hex = zoomSignature(TEST_WEBHOOK_SECRET, ts, raw).slice(3);
            return postWebhook(t.url, raw, { timestamp: ts, signature: hex });
          },
        ],
        [
          'one changed byte in the body',
          (raw) => {
            const ts = Math.floor(Date.now() / 1000);
            const sig = zoomSignature(TEST_WEBHOOK_SECRET, ts, raw);
            return postWebhook(t.url, raw.replace('User', 'Usex'), {
              timestamp: ts,
              signature: sig,
            });
          },
        ],
        [
          'added whitespace (same JSON, different bytes)',
          (raw) => {
            const ts = Math.floor(Date.now() / 1000);
            const sig = zoomSignature(TEST_WEBHOOK_SECRET, ts, raw);
            return postWebhook(t.url, `${raw} `, { timestamp: ts, signature: sig });
          },
        ],
        [
          "re-serialised JSON (what Zoom's sample verifies; key order changed)",
          (raw) => {
            const ts = Math.floor(Date.now() / 1000);
            const sig = zoomSignature(TEST_WEBHOOK_SECRET, ts, raw);
            const parsed = JSON.parse(raw) as Record<string, unknown>;
            const reordered = JSON.stringify({
              payload: parsed.payload,
              event_ts: parsed.event_ts,
              event: parsed.event,
            });
            return postWebhook(t.url, reordered, { timestamp: ts, signature: sig });
          },
        ],
        [
          'a signature for another timestamp',
          (raw) => {
            const ts = Math.floor(Date.now() / 1000);
            const sig = zoomSignature(TEST_WEBHOOK_SECRET, ts - 1, raw);
            return postWebhook(t.url, raw, { timestamp: ts, signature: sig });
          },
        ],
        [
          'a replay just older than the window (correctly signed for its timestamp)',
          (raw) =>
            postWebhook(t.url, raw, {
              timestamp: Math.floor(Date.now() / 1000) - t.config.zoom.webhookToleranceSeconds - 2,
            }),
        ],
        [
          'a timestamp 301 s in the future',
          (raw) => postWebhook(t.url, raw, { timestamp: Math.floor(Date.now() / 1000) + 301 }),
        ],
        [
          'a timestamp in milliseconds',
          (raw) => postWebhook(t.url, raw, { timestamp: Date.now() }),
        ],
        [
          'no timestamp header',
          (raw) => {
            const sig = zoomSignature(TEST_WEBHOOK_SECRET, '', raw);
            return postWebhook(t.url, raw, {
              signature: sig,
              headers: { 'x-zm-request-timestamp': '' },
            });
          },
        ],
        [
          'a malformed JSON body (bad signature wins over bad JSON)',
          () => postWebhook(t.url, '{"event": "meeting.participant_joined",', { secret: 'wrong' }),
        ],
      ];

    it.each(rejections)('rejects %s with 401 and stores nothing', async (_name, send) => {
      const before = await countStored(t);
      const res = await send(joined(`2${Math.floor(Math.random() * 1e6)}`));
      expect(res.status).toBe(401);
      expect(res.body).toEqual({
        statusCode: 401,
        error: 'Unauthorized',
        message: expect.stringContaining('Zoom webhook'),
      });
      expect(await countStored(t)).toEqual(before);
    });

    it('still accepts a timestamp 290 s old (inside the window)', async () => {
      const res = await postWebhook(t.url, joined('1003'), {
        timestamp: Math.floor(Date.now() / 1000) - 290,
      });
      expect(res.status).toBe(200);
    });

    it("accepts Zoom's retries 20 and 85 minutes late with their original timestamp, idempotently", async () => {
      // docs/zoom.md §3: retries at +5, +25, +85 minutes; whether they carry a fresh timestamp is
      // not documented, so the default window must accept the original one.
      const person = { user_id: 'retry-1', user_name: 'Retried', id: 'zoom-retry-1' };
      const uuid = 'occ-1==';
      const join = JSON.stringify(
        participantEvent('joined', { meetingId: MEETING, uuid, ts: nextTs(), participant: person }),
      );
      const leave = JSON.stringify(
        participantEvent('left', { meetingId: MEETING, uuid, ts: nextTs(), participant: person }),
      );
      const nowS = Math.floor(Date.now() / 1000);
      const present = async () => {
        const list = await request(t.url)
          .get(`/api/meetings/${MEETING}/participants`)
          .query({ limit: 1000 })
          .set('X-API-Key', TEST_API_KEY)
          .expect(200);
        return JSON.stringify(list.body.items).includes('zoom-retry-1');
      };
      // The join arrived; the leave's first attempt hit an outage of ours and comes back as a
      // retry 20 minutes late, signed with its original timestamp.
      expect((await postWebhook(t.url, join, { timestamp: nowS - 20 * 60 - 5 })).status).toBe(200);
      expect(await present()).toBe(true);
      expect((await postWebhook(t.url, leave, { timestamp: nowS - 20 * 60 })).status).toBe(200);
      expect(await present()).toBe(false);
      const stored = await countStored(t);
      // A late retry of the (older) join, and the last retry of the leave: nothing changes.
      expect((await postWebhook(t.url, join, { timestamp: nowS - 85 * 60 })).status).toBe(200);
      expect((await postWebhook(t.url, leave, { timestamp: nowS - 85 * 60 })).status).toBe(200);
      expect(await present()).toBe(false);
      expect(await countStored(t)).toEqual(stored);
    });
  });

  describe('bodies', () => {
    it('answers 400 to correctly signed malformed JSON, storing nothing', async () => {
      const before = await countStored(t);
      const res = await postWebhook(t.url, '{"event": "meeting.participant_joined",');
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, message: expect.stringContaining('JSON') });
      expect(await countStored(t)).toEqual(before);
    });

    it('answers 400 to a signed body that is not an event (no "event"), storing nothing', async () => {
      const before = await countStored(t);
      const res = await postWebhook(t.url, JSON.stringify({ event_ts: 1, payload: {} }));
      expect(res.status).toBe(400);
      expect(await countStored(t)).toEqual(before);
    });

    describe('known events with fields missing (docs/zoom.md §3: a refused event is retried, then dropped)', () => {
      let warn: jest.SpyInstance;
      beforeEach(() => {
        warn = jest.spyOn(Logger.prototype, 'warn');
      });
      afterEach(() => warn.mockRestore());

      /** The warnings WebhookService logged for this request. */
      const notUsedLines = () =>
        warn.mock.calls
          .map((call) => String(call[0]))
          .filter((line) => line.includes('acknowledged but not used'));

      it.each([
        [
          'no participant',
          {
            event: 'meeting.participant_joined',
            event_ts: Date.now(),
            payload: { object: { id: MEETING, uuid: 'u' } },
          },
        ],
        [
          'no event_ts',
          { ...(JSON.parse(joined('x1')) as Record<string, unknown>), event_ts: undefined },
        ],
        [
          'a non-numeric meeting id and an unknown occurrence uuid',
          {
            ...(JSON.parse(joined('x2')) as Record<string, unknown>),
            payload: { object: { id: 'abc', uuid: 'never-seen', participant: { user_id: '1' } } },
          },
        ],
        [
          'a participant without user_id or participant_uuid',
          {
            ...(JSON.parse(joined('x3')) as Record<string, unknown>),
            payload: {
              object: { id: MEETING, uuid: 'occ-1==', participant: { user_name: 'Ada Secret' } },
            },
          },
        ],
      ])(
        'answers 200 to a signed event with %s, stores nothing, logs it once',
        async (_name, body) => {
          const before = await countStored(t);
          const res = await postWebhook(t.url, JSON.stringify(body));
          expect(res.status).toBe(200);
          // Every body here is a meeting.participant_joined.
          expect(res.body).toEqual({ event: 'meeting.participant_joined', handled: false });
          expect(await countStored(t)).toEqual(before);
          const lines = notUsedLines();
          expect(lines).toHaveLength(1);
          // Event type and request id, field names only: no payload value (names, emails, ids).
          expect(lines[0]).toMatch(
            /^\[[^\]]+\] Zoom event meeting\.participant_joined acknowledged but not used: /,
          );
          expect(lines[0]).not.toMatch(/Ada Secret|never-seen|occ-1==/);
        },
      );

      /** A participant_joined with every field Zoom may send (rivet MeetingParticipantJoinedEvent). */
      const fullJoin = (userId: string): Record<string, unknown> => {
        const body = participantEvent('joined', {
          meetingId: MEETING,
          uuid: 'occ-1==',
          ts: nextTs(),
          participant: {
            user_id: userId,
            user_name: `Optional ${userId}`,
            id: `zoom-${userId}`,
            participant_uuid: `uuid-${userId}`,
            email: `${userId}@example.com`,
          },
        });
        const object = (body.payload as { object: Record<string, unknown> }).object;
        object.start_time = new Date().toISOString();
        Object.assign(object.participant as Record<string, unknown>, {
          registrant_id: `reg-${userId}`,
          customer_key: `ck-${userId}`,
        });
        return body;
      };

      it.each([
        ['object', 'id'],
        ['object', 'topic'],
        ['object', 'host_id'],
        ['object', 'start_time'],
        ['object', 'type'],
        ['participant', 'id'],
        ['participant', 'participant_uuid'],
        ['participant', 'participant_user_id'],
        ['participant', 'email'],
        ['participant', 'join_time'],
        ['participant', 'user_name'],
        ['participant', 'registrant_id'],
        ['participant', 'customer_key'],
        ['participant', 'user_id'],
      ])('stores a signed participant_joined without %s.%s (200, listed)', async (where, field) => {
        const userId = `opt-${where}-${field}`;
        const body = fullJoin(userId);
        const object = (body.payload as { object: Record<string, unknown> }).object;
        delete (where === 'object' ? object : (object.participant as Record<string, unknown>))[
          field
        ];
        const res = await postWebhook(t.url, JSON.stringify(body));
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ event: 'meeting.participant_joined', handled: true });
        expect(notUsedLines()).toEqual([]);
        const list = await request(t.url)
          .get(`/api/meetings/${MEETING}/participants`)
          .query({ limit: 200 })
          .set('X-API-Key', TEST_API_KEY)
          .expect(200);
        const raws = (list.body.items as { participants?: unknown[]; name: string }[]).map((i) =>
          JSON.stringify(i),
        );
        expect(raws.some((r) => r.includes(userId) || r.includes(`zoom-${userId}`))).toBe(true);
      });

      it('resolves a missing object.id through the stored occurrence, for a leave too', async () => {
        const body = participantEvent('left', {
          meetingId: MEETING,
          uuid: 'occ-1==',
          ts: nextTs(),
          participant: { user_id: 'leaver-1', user_name: 'Leaver', id: 'zoom-leaver-1' },
        });
        const join = JSON.parse(
          JSON.stringify(body).replace('participant_left', 'participant_joined'),
        ) as Record<string, unknown>;
        join.event_ts = (body.event_ts as number) - 1;
        expect((await postWebhook(t.url, JSON.stringify(join))).status).toBe(200);
        delete (body.payload as { object: Record<string, unknown> }).object.id;
        const res = await postWebhook(t.url, JSON.stringify(body));
        expect(res.body).toEqual({ event: 'meeting.participant_left', handled: true });
        const list = await request(t.url)
          .get(`/api/meetings/${MEETING}/participants`)
          .query({ limit: 200 })
          .set('X-API-Key', TEST_API_KEY)
          .expect(200);
        expect(JSON.stringify(list.body.items)).not.toContain('zoom-leaver-1');
      });
    });

    it('acknowledges unknown event types with 200 and ignores them', async () => {
      const before = await countStored(t);
      const raw = JSON.stringify({
        event: 'meeting.chat_message_sent',
        event_ts: Date.now(),
        payload: { object: { id: MEETING } },
      });
      const res = await postWebhook(t.url, raw);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ event: 'meeting.chat_message_sent', handled: false });
      expect(await countStored(t)).toEqual(before);
    });

    it.each([
      'meeting.constructor',
      'webinar.__proto__',
      'meeting.toString',
      'meeting.hasOwnProperty',
    ])('ignores %s (an Object built-in, not an event we handle) with 200', async (event) => {
      const before = await countStored(t);
      // A body that would be a valid participant event under a handled name.
      const body = JSON.parse(joined('builtin-1')) as Record<string, unknown>;
      const res = await postWebhook(t.url, JSON.stringify({ ...body, event }));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ event, handled: false });
      expect(await countStored(t)).toEqual(before);
    });

    it('handles the webinar twins the same way', async () => {
      const webinar = '91234567890';
      const start = Date.now();
      const send = (body: Record<string, unknown>) => postWebhook(t.url, JSON.stringify(body));
      expect(
        (
          await send(
            meetingEvent('started', { meetingId: webinar, uuid: 'w-1', ts: start, webinar: true }),
          )
        ).status,
      ).toBe(200);
      const person = {
        user_id: '77',
        user_name: 'Webinar Viewer',
        id: 'zoom-user-77',
        email: 'viewer@example.com',
      };
      expect(
        (
          await send(
            participantEvent('joined', {
              meetingId: webinar,
              uuid: 'w-1',
              ts: start + 1,
              participant: person,
              webinar: true,
            }),
          )
        ).status,
      ).toBe(200);
      const list = await request(t.url)
        .get(`/api/meetings/${webinar}/participants`)
        .set('X-API-Key', TEST_API_KEY)
        .expect(200);
      expect(list.body).toMatchObject({
        count: 1,
        occurrence: { uuid: 'w-1', kind: 'webinar' },
        items: [{ person_key: 'zoom-user-77', name: 'Webinar Viewer', status: 'joined' }],
      });
      expect(
        (
          await send(
            participantEvent('left', {
              meetingId: webinar,
              uuid: 'w-1',
              ts: start + 2,
              participant: person,
              webinar: true,
            }),
          )
        ).status,
      ).toBe(200);
      const after = await request(t.url)
        .get(`/api/meetings/${webinar}/participants`)
        .set('X-API-Key', TEST_API_KEY)
        .expect(200);
      expect(after.body.count).toBe(0);
    });

    it('refuses a body over 100 kB', async () => {
      const raw = JSON.stringify({ event: 'x', padding: 'y'.repeat(110 * 1024) });
      const res = await postWebhook(t.url, raw);
      expect(res.status).toBe(413);
    });

    it('is documented in Swagger as public, with its headers', async () => {
      const doc = await request(t.url).get('/docs-json').expect(200);
      const op = doc.body.paths['/api/zoom/webhook'].post;
      expect(op.security).toBeUndefined();
      expect(op.parameters.map((p: { name: string }) => p.name)).toEqual(
        expect.arrayContaining(['x-zm-signature', 'x-zm-request-timestamp']),
      );
    });
  });
});
