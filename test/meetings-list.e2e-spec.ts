/**
 * GET /api/meetings: the meetings the service heard of through Zoom's webhooks, with presence
 * counts and who Team Chat cannot reach (the console's meetings page reads the same service).
 */
import request from 'supertest';
import { createInstructor } from './utils/instructors';
import { TEST_API_KEY } from './utils/test-app';
import { seedMeeting, startZoomWorld, type ZoomWorld } from './utils/zoom-world';

jest.setTimeout(60_000);

const auth = { 'X-API-Key': TEST_API_KEY };

describe('GET /api/meetings (e2e)', () => {
  let world: ZoomWorld;
  beforeAll(async () => {
    world = await startZoomWorld();
  });
  afterAll(async () => world?.close());

  it('lists each meeting once, newest first, with present, reachable and unreachable by reason', async () => {
    const older = await seedMeeting(world.sim, { members: 1 });
    const newer = await seedMeeting(world.sim, { members: 2, guests: 1 });
    const res = await request(world.app.url).get('/api/meetings').set(auth).expect(200);
    const ids = (res.body.items as Array<{ meeting_id: string }>).map((m) => m.meeting_id);
    expect(ids).toEqual([newer.meetingId, older.meetingId]);
    expect(res.body.items[0]).toMatchObject({
      meeting_id: newer.meetingId,
      present: 3,
      reachable: 2,
      unreachable: [{ reason: expect.stringMatching(/guest/i), count: 1 }],
      occurrence: { topic: 'Seeded meeting', ended: false },
    });
    expect(res.body.items[1]).toMatchObject({ present: 1, reachable: 1, unreachable: [] });
    await request(world.app.url).get('/api/meetings').expect(401);
  });

  it('an instructor sees only the meetings they may read: none they neither host nor were granted', async () => {
    await seedMeeting(world.sim, { members: 1 });
    const stranger = await createInstructor(world.app, { role: 'instructor' });
    const res = await request(world.app.url)
      .get('/api/meetings')
      .set('X-API-Key', stranger.key)
      .expect(200);
    expect(res.body.items).toEqual([]);
  });
});
