import request from 'supertest';
import { startZoomSimulator, type ZoomSimulator } from '../tools/zoom-simulator';
import { ParticipantsService } from '../src/participants/participants.service';
import { createTestApp, TEST_API_KEY, TestApp } from './utils/test-app';
import {
  connectionOf,
  meetingEvent,
  participantEvent,
  postWebhook,
  TestParticipant,
} from './utils/webhook-helpers';

const auth = { 'X-API-Key': TEST_API_KEY };

describe('GET /api/meetings/{id}/participants (e2e, real database)', () => {
  let t: TestApp;
  let ts = Date.now() - 60_000;
  const send = async (body: Record<string, unknown>) => {
    const res = await postWebhook(t.url, JSON.stringify(body));
    expect(res.status).toBe(200);
  };
  const join = (meetingId: string, uuid: string, participant: TestParticipant) =>
    send(participantEvent('joined', { meetingId, uuid, ts: ++ts, participant }));
  const leave = (meetingId: string, uuid: string, participant: TestParticipant) =>
    send(participantEvent('left', { meetingId, uuid, ts: ++ts, participant }));
  const list = (meetingId: string, query = '') =>
    request(t.url).get(`/api/meetings/${meetingId}/participants${query}`).set(auth);

  beforeAll(async () => {
    t = await createTestApp({ name: 'participants' });
  });
  afterAll(async () => t.close());

  describe('auth and validation', () => {
    it('needs the instructor key', async () => {
      await request(t.url).get('/api/meetings/85746065432/participants').expect(401);
      await request(t.url).post('/api/meetings/85746065432/participants/sync').expect(401);
    });

    it.each([
      ['a non-numeric meeting id', '/api/meetings/abc/participants'],
      ['a too short meeting id', '/api/meetings/1234/participants'],
      ['an unknown status', '/api/meetings/85746065432/participants?status=maybe'],
      ['limit 0', '/api/meetings/85746065432/participants?limit=0'],
      ['limit 1001', '/api/meetings/85746065432/participants?limit=1001'],
      ['a forged cursor', '/api/meetings/85746065432/participants?cursor=bm9wZQ'],
      ['an unknown query field', '/api/meetings/85746065432/participants?foo=1'],
      ['a malformed occurrence', '/api/meetings/85746065432/participants?occurrence=%24where'],
    ])('answers 400 to %s', async (_name, path) => {
      const res = await request(t.url).get(path).set(auth).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    });

    it('answers an empty list for a meeting it never heard of', async () => {
      const res = await list('11111111111').expect(200);
      expect(res.body).toEqual({
        meeting_id: '11111111111',
        occurrence: null,
        status: 'joined',
        count: 0,
        items: [],
        limit: 100,
        next_cursor: null,
      });
    });

    it('answers 404 for an unknown ?occurrence', async () => {
      await send(meetingEvent('started', { meetingId: '22222222222', uuid: 'known', ts: ++ts }));
      await list('22222222222', '?occurrence=unknown').expect(404);
    });
  });

  describe('one person, one entry', () => {
    const meetingId = '33333333333';
    const uuid = 'occ-a==';
    const ada1 = {
      user_id: '16778240',
      user_name: 'Ada',
      id: 'zoom-ada',
      email: 'ada@example.com',
      participant_uuid: 'pu-ada-1',
    };
    const ada2 = {
      ...ada1,
      user_id: '16778250',
      user_name: 'Ada L.',
      participant_uuid: 'pu-ada-2',
    };
    const bob1 = { user_id: '16778241', user_name: 'Bob', email: 'Bob@Example.com' };
    const bob2 = { user_id: '16778251', user_name: 'Bob', email: 'bob@example.com' };
    const guest = { user_id: '16778242', user_name: 'iPhone' };

    it('lists a rejoin once, by Zoom user id or else email, and reports guests as unreachable', async () => {
      await send(meetingEvent('started', { meetingId, uuid, ts: ++ts }));
      await join(meetingId, uuid, ada1);
      await join(meetingId, uuid, bob1);
      await join(meetingId, uuid, guest);
      await leave(meetingId, uuid, ada1);
      await leave(meetingId, uuid, bob1);
      await join(meetingId, uuid, ada2);
      await join(meetingId, uuid, bob2);
      // Zoom's stale leave of Ada's first join, delivered again after her rejoin (docs/zoom.md §3).
      await send(participantEvent('left', { meetingId, uuid, ts: ts - 3, participant: ada1 }));

      const res = await list(meetingId).expect(200);
      expect(res.body.count).toBe(3);
      expect(res.body.occurrence).toMatchObject({ uuid, kind: 'meeting', ended: false });
      expect(res.body.items).toEqual([
        {
          person_key: '16778242',
          name: 'iPhone',
          email: null,
          zoom_user_id: null,
          reachable: false,
          unreachable_reason: expect.stringContaining('guest'),
          join_time: expect.any(String),
          leave_time: null,
          status: 'joined',
        },
        expect.objectContaining({
          person_key: 'bob@example.com',
          email: 'bob@example.com',
          reachable: true,
          unreachable_reason: null,
        }),
        expect.objectContaining({
          person_key: 'zoom-ada',
          name: 'Ada L.',
          zoom_user_id: 'zoom-ada',
          reachable: true,
          status: 'joined',
        }),
      ]);

      const people = await t.app.get(ParticipantsService).currentPeople(meetingId);
      expect(people.map((p) => p.person_key)).toEqual(['16778242', 'bob@example.com', 'zoom-ada']);
      expect(people[2].join_time).toBeInstanceOf(Date);
      const service = t.app.get(ParticipantsService);
      expect(await service.isPresent(meetingId, 'zoom-ada')).toBe(true);
      expect(await service.isPresent(meetingId, 'nobody')).toBe(false);
      expect([...(await service.presentPersonKeys(meetingId))].sort()).toEqual([
        '16778242',
        'bob@example.com',
        'zoom-ada',
      ]);
    });

    it('filters by status', async () => {
      await leave(meetingId, uuid, guest);
      const left = await list(meetingId, '?status=left').expect(200);
      expect(left.body.count).toBe(1);
      expect(left.body.items).toEqual([
        expect.objectContaining({
          person_key: '16778242',
          status: 'left',
          leave_time: expect.any(String),
        }),
      ]);
      const all = await list(meetingId, '?status=all').expect(200);
      expect(all.body.count).toBe(3);
      expect((await list(meetingId).expect(200)).body.count).toBe(2);
    });

    it('meeting.ended closes everyone; a new occurrence starts empty; the old one stays readable', async () => {
      const endTs = ++ts;
      await send(meetingEvent('ended', { meetingId, uuid, ts: endTs }));
      const after = await list(meetingId).expect(200);
      expect(after.body).toMatchObject({ count: 0, items: [], occurrence: { uuid, ended: true } });
      const history = await list(meetingId, '?status=all').expect(200);
      const ada = history.body.items.find(
        (p: { person_key: string }) => p.person_key === 'zoom-ada',
      );
      expect(ada).toMatchObject({ status: 'left', leave_time: new Date(endTs).toISOString() });

      await send(meetingEvent('started', { meetingId, uuid: 'occ-b==', ts: ++ts }));
      expect((await list(meetingId).expect(200)).body).toMatchObject({
        count: 0,
        occurrence: { uuid: 'occ-b==' },
      });
      // Same per-join user_id as in the first occurrence: a different join (docs/zoom.md §3).
      await join(meetingId, 'occ-b==', { user_id: '16778242', user_name: 'Carol' });
      const now = await list(meetingId).expect(200);
      expect(now.body.items).toEqual([
        expect.objectContaining({ name: 'Carol', status: 'joined' }),
      ]);
      const old = await list(
        meetingId,
        `?occurrence=${encodeURIComponent(uuid)}&status=all`,
      ).expect(200);
      expect(old.body.count).toBe(3);
      expect(
        old.body.items.find((p: { person_key: string }) => p.person_key === '16778242').name,
      ).toBe('iPhone');
    });
  });

  it('keeps one record and the right state when copies of a join and its leave race each other', async () => {
    const meetingId = '55555555555';
    const person = {
      user_id: '900',
      user_name: 'Racer',
      id: 'zu-racer',
      participant_uuid: 'pu-racer',
    };
    const joinBody = JSON.stringify(
      participantEvent('joined', { meetingId, uuid: 'race', ts: ++ts, participant: person }),
    );
    const leaveBody = JSON.stringify(
      participantEvent('left', { meetingId, uuid: 'race', ts: ++ts, participant: person }),
    );
    const copies = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? joinBody : leaveBody));
    const results = await Promise.all(copies.map((raw) => postWebhook(t.url, raw)));
    expect(results.every((r) => r.status === 200)).toBe(true);
    const all = await list(meetingId, '?status=all').expect(200);
    expect(all.body.count).toBe(1);
    expect(all.body.items[0]).toMatchObject({ person_key: 'zu-racer', status: 'left' });
    const db = connectionOf(t).db;
    expect(await db?.collection('participants').countDocuments({ meeting_id: meetingId })).toBe(1);
  });

  it('keeps one record and the right state when the racing copies go to two app instances', async () => {
    // The same race, split across two instances on one database: each has its own in-process
    // queue per join record, so only the database's conditional writes and unique index hold.
    const second = await createTestApp({
      name: 'participants_second',
      env: { MONGO_URI: t.config.mongoUri },
    });
    try {
      const meetingId = '55555555556';
      const person = {
        user_id: '901',
        user_name: 'Racer Two',
        id: 'zu-racer-2',
        participant_uuid: 'pu-racer-2',
      };
      const joinBody = JSON.stringify(
        participantEvent('joined', { meetingId, uuid: 'race-2', ts: ++ts, participant: person }),
      );
      const leaveBody = JSON.stringify(
        participantEvent('left', { meetingId, uuid: 'race-2', ts: ++ts, participant: person }),
      );
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          postWebhook(i % 4 < 2 ? t.url : second.url, i % 2 === 0 ? joinBody : leaveBody),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(Array(40).fill(200));
      const all = await list(meetingId, '?status=all').expect(200);
      expect(all.body.count).toBe(1);
      expect(all.body.items[0]).toMatchObject({ person_key: 'zu-racer-2', status: 'left' });
      const db = connectionOf(second).db;
      expect(await db?.collection('participants').countDocuments({ meeting_id: meetingId })).toBe(
        1,
      );
    } finally {
      await second.close();
    }
  });

  it('pages with limit and next_cursor, each person exactly once', async () => {
    const meetingId = '44444444444';
    await send(meetingEvent('started', { meetingId, uuid: 'big', ts: ++ts }));
    for (let i = 0; i < 25; i++) {
      await join(meetingId, 'big', {
        user_id: String(100 + i),
        user_name: `P${i}`,
        id: `zu-${String(i).padStart(2, '0')}`,
      });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `?limit=7${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await list(meetingId, query).expect(200);
      expect(res.body.count).toBe(25);
      seen.push(...res.body.items.map((p: { person_key: string }) => p.person_key));
      cursor = res.body.next_cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(4);
    expect(seen).toEqual([...seen].sort());
    expect(new Set(seen).size).toBe(25);
  });
});

describe('participants end to end with the Zoom simulator (signed webhooks over HTTP, duplicated and shuffled)', () => {
  let sim: ZoomSimulator;
  let t: TestApp;

  beforeAll(async () => {
    sim = await startZoomSimulator({
      seed: 42,
      rateLimits: { light: 1000, medium: 1000, heavy: 1000 },
    });
    t = await createTestApp({
      name: 'participants_sim',
      env: {
        ZOOM_ACCOUNT_ID: sim.accountId,
        ZOOM_CLIENT_ID: sim.clientId,
        ZOOM_CLIENT_SECRET: sim.clientSecret,
        ZOOM_WEBHOOK_SECRET_TOKEN: sim.webhookSecretToken,
        ZOOM_CHAT_SENDER: 'host@example.com',
        ZOOM_API_BASE_URL: sim.apiBaseUrl,
        ZOOM_OAUTH_URL: sim.oauthUrl,
      },
    });
  });
  afterAll(async () => {
    await t.close();
    await sim.close();
  });

  const people = async (meetingId: string, status = 'joined') => {
    const res = await request(t.url)
      .get(`/api/meetings/${meetingId}/participants?status=${status}`)
      .set(auth)
      .expect(200);
    return res.body as {
      count: number;
      items: Array<{ person_key: string; name: string; status: string; reachable: boolean }>;
    };
  };

  it('join, leave, rejoin with a new user_id: one entry per person, guests flagged', async () => {
    sim.setWebhookTarget(`${t.url}/api/zoom/webhook`, { duplicateRatio: 0.5, shuffleWindow: 8 });
    const meeting = sim.createMeeting({ topic: 'Sim class' });
    const id = String(meeting.id);
    sim.startMeeting(id);
    const ada = sim.addUser({ email: 'ada@sim.example', name: 'Ada' });
    const bob = sim.addUser({ email: 'bob@sim.example', name: 'Bob' });
    const adaJoin = sim.join(id, { name: 'Ada', email: ada.email, zoomUserId: ada.id });
    const bobJoin = sim.join(id, { name: 'Bob', email: bob.email, zoomUserId: bob.id });
    sim.join(id, { name: 'Guest', zoomUserId: '' });
    sim.leave(id, adaJoin.participant_uuid);
    sim.join(id, { name: 'Ada again', email: ada.email, zoomUserId: ada.id });
    sim.leave(id, bobJoin.participant_uuid);
    await sim.flushWebhooks();

    const deliveries = sim.webhookDeliveries();
    expect(deliveries.every((d) => d.status === 200)).toBe(true);
    expect(deliveries.some((d) => d.duplicate)).toBe(true);

    const now = await people(id);
    expect(now.count).toBe(2);
    expect(now.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ person_key: ada.id, name: 'Ada again', reachable: true }),
        expect.objectContaining({ name: 'Guest', reachable: false }),
      ]),
    );
    const all = await people(id, 'all');
    expect(all.count).toBe(3);
    expect(all.items.find((p) => p.person_key === bob.id)?.status).toBe('left');

    sim.endMeeting(id);
    await sim.flushWebhooks();
    expect((await people(id)).count).toBe(0);
  });

  it('sync adds joins and closes leaves the webhooks missed, and never overrides newer webhook information', async () => {
    const meeting = sim.createMeeting({ topic: 'Missed webhooks' });
    const id = String(meeting.id);
    sim.setWebhookTarget(`${t.url}/api/zoom/webhook`);
    sim.startMeeting(id);
    const early = sim.join(id, {
      name: 'Early',
      email: 'early@sim.example',
      zoomUserId: 'zu-early',
    });
    await sim.flushWebhooks();

    // The service is "down": these never reach it.
    sim.setWebhookTarget(null);
    const late = sim.join(id, { name: 'Late', email: 'late@sim.example', zoomUserId: 'zu-late' });
    sim.leave(id, early.participant_uuid);
    sim.join(id, { name: 'Guest', zoomUserId: '' });

    expect((await people(id)).items.map((p) => p.name)).toEqual(['Early']);
    const res = await request(t.url)
      .post(`/api/meetings/${id}/participants/sync`)
      .set(auth)
      .expect(200);
    expect(res.body).toEqual({
      meeting_id: id,
      meeting_uuid: expect.any(String),
      added: 2,
      closed: 1,
      unchanged: 0,
      total: 2,
    });
    const now = await people(id);
    expect(now.items.map((p) => p.name).sort()).toEqual(['Guest', 'Late']);

    // A webhook newer than the snapshot wins; a second sync changes nothing.
    sim.setWebhookTarget(`${t.url}/api/zoom/webhook`);
    sim.leave(id, late.participant_uuid);
    await sim.flushWebhooks();
    expect((await people(id)).items.map((p) => p.name)).toEqual(['Guest']);
    const again = await request(t.url)
      .post(`/api/meetings/${id}/participants/sync`)
      .set(auth)
      .expect(200);
    expect(again.body).toMatchObject({ added: 0, closed: 0, total: 1 });
    expect((await people(id)).items.map((p) => p.name)).toEqual(['Guest']);
  });

  it("answers 404 with Zoom's reason when Zoom does not know the meeting", async () => {
    const res = await request(t.url)
      .post('/api/meetings/99999999999/participants/sync')
      .set(auth)
      .expect(404);
    expect(res.body).toMatchObject({
      statusCode: 404,
      error: 'Not Found',
      details: { zoom_status: 404 },
    });
  });
});
