/**
 * Zoom refuses a Team Chat send for the sender's standing (issue 12, docs/zoom.md §2): a channel
 * the sender is not a member of, or a sender whose role may not edit Chat Messages. The app, its
 * database and the Zoom simulator over HTTP: the broadcast says why and what to fix, and
 * GET /api/test-zoom reports it until a send proves it fixed.
 */
import request from 'supertest';
import { TEST_API_KEY } from './utils/test-app';
import { SENDER_EMAIL, seedMeeting, startZoomWorld, type ZoomWorld } from './utils/zoom-world';

const auth = { 'X-API-Key': TEST_API_KEY };

describe("Team Chat refusals for the sender's channel membership and role (e2e)", () => {
  let world: ZoomWorld;
  beforeAll(async () => {
    world = await startZoomWorld();
  });
  afterAll(async () => {
    await world?.close();
  });
  afterEach(() => {
    world.sim.setChatMessagesEdit(SENDER_EMAIL, true);
  });

  async function createQuestion(): Promise<string> {
    const res = await request(world.app.url)
      .post('/api/questions')
      .set(auth)
      .send({ title: 'Q', question_text: '2 + 2?', options: ['3', '4'], correct_answer: 1 })
      .expect(201);
    return res.body.id as string;
  }

  async function waitForBroadcast(id: string): Promise<request.Response> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const res = await request(world.app.url).get(`/api/broadcasts/${id}`).set(auth).expect(200);
      if (res.body.status === 'completed' || Date.now() > deadline) return res;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function testZoom(): Promise<request.Response> {
    return request(world.app.url).get('/api/test-zoom').set(auth).expect(200);
  }

  it('a channel the sender is not in: the delivery fails saying so, test-zoom reports it, retry after the fix sends', async () => {
    const { sim, app } = world;
    const { meetingId } = await seedMeeting(sim, { members: 2 });
    const channelId = sim.getMeeting(meetingId).channel_id as string;
    sim.removeChannelMember(channelId, SENDER_EMAIL);
    const qid = await createQuestion();
    const sent = await request(app.url)
      .post(`/api/questions/${qid}/send`)
      .set(auth)
      .send({ meeting_id: meetingId, mode: 'channel' })
      .expect(202);

    const done = await waitForBroadcast(sent.body.id);
    expect(done.body.counts).toMatchObject({ total: 1, failed: 1, sent: 0 });
    const [recipient] = done.body.recipients;
    expect(recipient.status).toBe('failed');
    expect(recipient.last_error).toContain('code 5301');
    expect(recipient.last_error).toContain(`not a member of channel ${channelId}`);
    expect(recipient.last_error).toContain('add that user to the channel');
    // Refused for good until someone acts: one attempt, not a retry loop.
    expect(recipient.attempts).toBe(1);

    const report = await testZoom();
    expect(report.body.ok).toBe(false);
    expect(report.body.chat_sender).toBe(SENDER_EMAIL);
    expect(report.body.chat_problems).toEqual([
      expect.objectContaining({
        problem: 'not_channel_member',
        channel_id: channelId,
        zoom_status: 400,
        zoom_code: '5301',
        fix: expect.stringContaining('add that user to the channel'),
        tracking_id: expect.any(String),
        seen_at: expect.any(String),
      }),
    ]);

    sim.addChannelMember(channelId, SENDER_EMAIL);
    await request(app.url).post(`/api/broadcasts/${sent.body.id}/retry`).set(auth).expect(202);
    const again = await waitForBroadcast(sent.body.id);
    expect(again.body.counts).toMatchObject({ total: 1, sent: 1, failed: 0 });
    expect(sim.messages().filter((m) => m.to_channel === channelId)).toHaveLength(1);
    const fixed = await testZoom();
    expect(fixed.body.chat_problems).toEqual([]);
    expect(fixed.body.ok).toBe(true);
  });

  it('a sender whose role may not edit Chat Messages: deliveries fail naming the role permission, test-zoom reports it', async () => {
    const { sim, app } = world;
    const { meetingId } = await seedMeeting(sim, { members: 2 });
    sim.setChatMessagesEdit(SENDER_EMAIL, false);
    const before = sim.messages().length;
    const qid = await createQuestion();
    const sent = await request(app.url)
      .post(`/api/questions/${qid}/send`)
      .set(auth)
      .send({ meeting_id: meetingId })
      .expect(202);

    const done = await waitForBroadcast(sent.body.id);
    expect(done.body.counts).toMatchObject({ total: 2, failed: 2, sent: 0 });
    for (const r of done.body.recipients) {
      expect(r.last_error).toContain('code 200');
      expect(r.last_error).toContain('Chat Messages "Edit" permission');
      expect(r.attempts).toBe(1);
    }
    expect(sim.messages()).toHaveLength(before);

    const report = await testZoom();
    expect(report.body.ok).toBe(false);
    expect(report.body.chat_problems).toEqual([
      expect.objectContaining({
        problem: 'sender_role',
        channel_id: null,
        zoom_code: '200',
        fix: expect.stringContaining('an account admin must give that role'),
      }),
    ]);

    sim.setChatMessagesEdit(SENDER_EMAIL, true);
    await request(app.url).post(`/api/broadcasts/${sent.body.id}/retry`).set(auth).expect(202);
    const again = await waitForBroadcast(sent.body.id);
    expect(again.body.counts).toMatchObject({ total: 2, sent: 2 });
    expect((await testZoom()).body.chat_problems).toEqual([]);
  });
});
