/**
 * Zoom's daily limit (issue 12, docs/zoom.md §4, §7) through the app, its database and the Zoom
 * simulator over HTTP: a daily 429 pauses the label until the reset, the waiting deliveries fail
 * at once with reason zoom_daily_limit (no retry storm), and GET /api/test-zoom shows the pause.
 * Both shapes Zoom has used: with `X-RateLimit-Type: Daily-limit` and a Retry-After date, and
 * with neither header, only the message naming the reset time.
 */
import request from 'supertest';
import { TEST_API_KEY } from './utils/test-app';
import { seedMeeting, startZoomWorld, type ZoomWorld } from './utils/zoom-world';

const auth = { 'X-API-Key': TEST_API_KEY };
const SENDS_LEFT_TODAY = 3;
const MEMBERS = 8;

function nextUtcMidnight(): string {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1)).toISOString();
}

describe.each([
  { variant: 'with X-RateLimit-Type and a Retry-After date', dailyLimitHeaders: true },
  { variant: 'with neither header, only the message', dailyLimitHeaders: false },
])("Zoom's daily limit, $variant (e2e)", ({ dailyLimitHeaders }) => {
  let world: ZoomWorld;
  beforeAll(async () => {
    world = await startZoomWorld();
  });
  afterAll(async () => {
    await world?.close();
  });

  async function send(meetingId: string): Promise<string> {
    const q = await request(world.app.url)
      .post('/api/questions')
      .set(auth)
      .send({ title: 'Q', question_text: '2 + 2?', options: ['3', '4'], correct_answer: 1 })
      .expect(201);
    const sent = await request(world.app.url)
      .post(`/api/questions/${q.body.id as string}/send`)
      .set(auth)
      .send({ meeting_id: meetingId })
      .expect(202);
    return sent.body.id as string;
  }

  async function waitForBroadcast(id: string): Promise<request.Response> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const res = await request(world.app.url).get(`/api/broadcasts/${id}`).set(auth).expect(200);
      if (res.body.status === 'completed' || Date.now() > deadline) return res;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  const chatPosts = () =>
    world.sim.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/messages'));

  it('fails the waiting deliveries at once with the reset time, asks Zoom no more, and test-zoom shows it', async () => {
    const { sim, app } = world;
    const { meetingId } = await seedMeeting(sim, { members: MEMBERS });
    sim.setFaults({ dailyLimits: { medium: SENDS_LEFT_TODAY }, dailyLimitHeaders });

    const done = await waitForBroadcast(await send(meetingId));
    expect(done.body.status).toBe('completed');
    expect(done.body.counts).toMatchObject({
      total: MEMBERS,
      sent: SENDS_LEFT_TODAY,
      failed: MEMBERS - SENDS_LEFT_TODAY,
    });
    const failed = (done.body.recipients as Array<Record<string, unknown>>).filter(
      (r) => r.status === 'failed',
    );
    for (const r of failed) {
      expect(r.last_error).toContain(`zoom_daily_limit until ${nextUtcMidnight()}`);
      expect(r.attempts).toBe(1);
    }
    // No retry storm: each delivery asked Zoom at most once; the daily 429s are only those of
    // posts already on their way when the first one came back.
    const posts = chatPosts();
    expect(posts.length).toBeLessThanOrEqual(MEMBERS);
    const refused = posts.filter((r) => r.status === 429).length;
    expect(refused).toBeGreaterThanOrEqual(1);

    const report = await request(app.url).get('/api/test-zoom').set(auth).expect(200);
    expect(report.body.ok).toBe(false);
    expect(report.body.daily_limits).toEqual([
      expect.objectContaining({ label: 'medium', resets_at: nextUtcMidnight() }),
    ]);

    // Until the reset, a new send fails at once without a single request to Zoom.
    const before = chatPosts().length;
    const again = await waitForBroadcast(await send(meetingId));
    expect(again.body.counts).toMatchObject({ total: MEMBERS, failed: MEMBERS, sent: 0 });
    expect(chatPosts().length).toBe(before);
  });
});
