/**
 * Security review (issue 13): an Idempotency-Key replay answers from the stored response before
 * any meeting-access check runs (the interceptor replays, the service that checks access is never
 * called). Someone whose grant was revoked (or whose role was lowered) still gets 202 and the
 * stored broadcast, with its recipients, instead of the 403 every other request now gets.
 */
import request from 'supertest';
import { createInstructor, type CreatedInstructor } from './utils/instructors';
import { TEST_API_KEY } from './utils/test-app';
import { startZoomWorld, type ZoomWorld } from './utils/zoom-world';

describe('Review: Idempotency-Key replays after access ends (e2e)', () => {
  let world: ZoomWorld;
  let url: string;
  const admin = { 'X-API-Key': TEST_API_KEY };
  const as = (who: CreatedInstructor) => ({ 'X-API-Key': who.key });

  async function hostedMeeting(hostEmail: string, tag: string): Promise<string> {
    const { sim } = world;
    const meeting = sim.createMeeting({ topic: `Class ${tag}`, hostEmail });
    const meetingId = String(meeting.id);
    sim.startMeeting(meetingId);
    for (let i = 0; i < 2; i++) {
      const user = sim.addUser({ email: `${tag}-student${i}@example.com`, name: `S${i}` });
      sim.join(meetingId, { name: `S${i}`, email: user.email, zoomUserId: user.id });
    }
    await sim.flushWebhooks();
    return meetingId;
  }

  beforeAll(async () => {
    world = await startZoomWorld();
    url = world.app.url;
  });
  afterAll(async () => world.close());

  it('a send replayed after the grant was revoked is refused like any other request', async () => {
    const host = await createInstructor(world.app, { role: 'instructor' });
    const grantee = await createInstructor(world.app, { role: 'instructor' });
    const meetingId = await hostedMeeting(host.email, 'idem');
    await request(url)
      .put(`/api/meetings/${meetingId}/instructors/${grantee.id}`)
      .set(as(host))
      .send({ role: 'instructor' })
      .expect(200);
    const q = await request(url)
      .post('/api/questions')
      .set(as(grantee))
      .send({ title: 'T', question_text: 'T?', options: ['a', 'b'], correct_answer: 0 })
      .expect(201);
    const send = () =>
      request(url)
        .post(`/api/questions/${q.body.id as string}/send`)
        .set(as(grantee))
        .set('Idempotency-Key', 'review-replay-1')
        .send({ meeting_id: meetingId, allow_duplicate: true });
    await send().expect(202);

    await request(url)
      .delete(`/api/meetings/${meetingId}/instructors/${grantee.id}`)
      .set(admin)
      .expect(204);
    // Without the header the grantee is refused...
    await request(url)
      .post(`/api/questions/${q.body.id as string}/send`)
      .set(as(grantee))
      .send({ meeting_id: meetingId, allow_duplicate: true })
      .expect(403);
    // ...and with the old key the same must hold: no access, no stored answer.
    const replay = await send();
    expect({ status: replay.status, replayed: replay.headers['idempotent-replayed'] }).toEqual({
      status: 403,
      replayed: undefined,
    });
  });
});
