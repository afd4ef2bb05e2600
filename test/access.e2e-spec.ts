import request from 'supertest';
import { createInstructor, type CreatedInstructor } from './utils/instructors';
import { TEST_API_KEY } from './utils/test-app';
import { startZoomWorld, type ZoomWorld } from './utils/zoom-world';

/**
 * Meeting access and question ownership over HTTP (README "Meetings: hosts and grants"): real
 * app and database, the Zoom simulator saying who hosts each meeting, instructor keys made
 * through the API.
 */
describe('Meeting hosts, grants and question ownership (e2e)', () => {
  let world: ZoomWorld;
  let url: string;
  const admin = { 'X-API-Key': TEST_API_KEY };
  const as = (who: CreatedInstructor) => ({ 'X-API-Key': who.key });

  /** Zoom's user for the "by id" host: the instructor's email is not the host's. */
  let hostZoomUser: { id: string; email: string };
  let hostById: CreatedInstructor;
  let hostByEmail: CreatedInstructor;
  let other: CreatedInstructor;
  let assistant: CreatedInstructor;
  /** Hosted (per Zoom) by hostById's Zoom user, and by hostByEmail's email (another case). */
  let meetingA: string;
  let meetingB: string;

  /** A meeting Zoom says `hostEmail` hosts, in progress with two signed-in members. */
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

  async function createQuestion(owner: Record<string, string>, title: string): Promise<string> {
    const res = await request(url)
      .post('/api/questions')
      .set(owner)
      .send({ title, question_text: `${title}?`, options: ['a', 'b'], correct_answer: 0 })
      .expect(201);
    return res.body.id as string;
  }

  const send = (who: Record<string, string>, qid: string, meetingId: string) =>
    request(url)
      .post(`/api/questions/${qid}/send`)
      .set(who)
      .send({ meeting_id: meetingId, allow_duplicate: true });

  const refusedFor = (meetingId: string) =>
    `You do not host meeting ${meetingId} and have no grant for it; ask its host or an admin`;

  beforeAll(async () => {
    world = await startZoomWorld();
    url = world.app.url;
    hostZoomUser = world.sim.addUser({ email: 'zoom-name@school.example', name: 'Prof A' });
    hostById = await createInstructor(world.app, {
      role: 'instructor',
      email: 'prof.a@school.example',
      zoom_user_id: hostZoomUser.id,
    });
    hostByEmail = await createInstructor(world.app, {
      role: 'instructor',
      email: 'prof.b@school.example',
    });
    other = await createInstructor(world.app, { role: 'instructor' });
    assistant = await createInstructor(world.app, { role: 'assistant' });
    meetingA = await hostedMeeting(hostZoomUser.email, 'a');
    meetingB = await hostedMeeting('Prof.B@School.Example', 'b');
  });
  afterAll(async () => world.close());

  describe('hosts, as Zoom says', () => {
    it("lets the instructor whose Zoom user id is the meeting's host send to it", async () => {
      const qid = await createQuestion(as(hostById), 'By id');
      const res = await send(as(hostById), qid, meetingA).expect(202);
      expect(res.body.meeting_id).toBe(meetingA);
    });

    it("lets the instructor whose email is the host's (in another case) send to it", async () => {
      const qid = await createQuestion(as(hostByEmail), 'By email');
      await send(as(hostByEmail), qid, meetingB).expect(202);
      await request(url)
        .post('/api/send-question')
        .set(as(hostByEmail))
        .send({ meeting_id: meetingB, question_link: 'https://forms.example.com/q/1' })
        .expect((res) => expect([200, 202]).toContain(res.status));
    });

    it('refuses another instructor with 403 and the reason, for sends and reads', async () => {
      const qid = await createQuestion(as(other), 'Not mine to send');
      const refused = await send(as(other), qid, meetingA).expect(403);
      expect(refused.body.message).toBe(refusedFor(meetingA));
      const link = await request(url)
        .post('/api/send-question')
        .set(as(other))
        .send({ meeting_id: meetingA, question_link: 'https://forms.example.com/q/1' })
        .expect(403);
      expect(link.body.message).toBe(refusedFor(meetingA));
      for (const path of [
        `/api/meetings/${meetingA}/participants`,
        `/api/meetings/${meetingA}/broadcasts`,
        `/api/meetings/${meetingA}/leaderboard`,
        `/api/meetings/${meetingA}/instructors`,
      ]) {
        const res = await request(url).get(path).set(as(other)).expect(403);
        expect(res.body.message).toBe(refusedFor(meetingA));
      }
      await request(url)
        .post(`/api/meetings/${meetingA}/participants/sync`)
        .set(as(other))
        .expect(403);
      // The host reads them.
      const people = await request(url)
        .get(`/api/meetings/${meetingA}/participants`)
        .set(as(hostById))
        .expect(200);
      expect(people.body.count).toBe(2);
    });

    it("answers Zoom's 404 (with Zoom's reason) for a meeting Zoom does not know", async () => {
      const qid = await createQuestion(as(other), 'Nowhere');
      const res = await send(as(other), qid, '81111111119').expect(404);
      expect(res.body.message).toMatch(/Meeting does not exist/);
    });
  });

  describe('grants', () => {
    it('lets a granted instructor send; revoking stops them; only the host or an admin grants', async () => {
      const qid = await createQuestion(as(other), 'Granted send');
      await send(as(other), qid, meetingA).expect(403);

      const notHost = await request(url)
        .put(`/api/meetings/${meetingA}/instructors/${assistant.id}`)
        .set(as(other))
        .send({ role: 'assistant' })
        .expect(403);
      expect(notHost.body.message).toBe(refusedFor(meetingA));

      const granted = await request(url)
        .put(`/api/meetings/${meetingA}/instructors/${other.id}`)
        .set(as(hostById))
        .send({ role: 'instructor' })
        .expect(200);
      expect(granted.body).toMatchObject({
        meeting_id: meetingA,
        instructor_id: other.id,
        role: 'instructor',
        granted_by: hostById.id,
      });
      await send(as(other), qid, meetingA).expect(202);
      const list = await request(url)
        .get(`/api/meetings/${meetingA}/instructors`)
        .set(as(other))
        .expect(200);
      expect(list.body.items.map((g: { instructor_id: string }) => g.instructor_id)).toContain(
        other.id,
      );
      // A grantee sends but does not manage grants.
      const manage = await request(url)
        .put(`/api/meetings/${meetingA}/instructors/${assistant.id}`)
        .set(as(other))
        .send({ role: 'assistant' })
        .expect(403);
      expect(manage.body.message).toBe(
        `Only meeting ${meetingA}'s host or an admin may manage its grants`,
      );

      await request(url)
        .delete(`/api/meetings/${meetingA}/instructors/${other.id}`)
        .set(as(hostById))
        .expect(204);
      const after = await send(as(other), qid, meetingA).expect(403);
      expect(after.body.message).toBe(refusedFor(meetingA));
      await request(url)
        .delete(`/api/meetings/${meetingA}/instructors/${other.id}`)
        .set(as(hostById))
        .expect(404);

      // Granting and revoking are audited: who, on which meeting, for whom.
      for (const action of ['meeting_grant.granted', 'meeting_grant.revoked']) {
        const audit = await request(url)
          .get(`/api/audit?action=${action}&meeting_id=${meetingA}`)
          .set(admin)
          .expect(200);
        expect(audit.body.items).toContainEqual(
          expect.objectContaining({
            action,
            outcome: 'succeeded',
            actor_id: hostById.id,
            target_id: other.id,
            meeting_id: meetingA,
          }),
        );
      }
    });

    it('lets an admin grant anywhere, refuses an unknown instructor and a bad role', async () => {
      const unknown = '665f1c2e8a1b2c3d4e5f6a7b';
      const res = await request(url)
        .put(`/api/meetings/${meetingB}/instructors/${unknown}`)
        .set(admin)
        .send({ role: 'assistant' })
        .expect(404);
      expect(res.body.message).toMatch(unknown);
      await request(url)
        .put(`/api/meetings/${meetingB}/instructors/${other.id}`)
        .set(admin)
        .send({ role: 'owner' })
        .expect(400);
      await request(url)
        .put(`/api/meetings/${meetingB}/instructors/${other.id}`)
        .set(admin)
        .send({ role: 'assistant' })
        .expect(200);
      await request(url)
        .delete(`/api/meetings/${meetingB}/instructors/${other.id}`)
        .set(admin)
        .expect(204);
    });

    it("refuses an assistant's send and accepts their remind; a broadcast is 404 to someone without a grant", async () => {
      const qid = await createQuestion(as(hostById), 'For the assistant');
      const sent = await send(as(hostById), qid, meetingA).expect(202);
      const broadcastId = sent.body.id as string;
      const broadcastPaths = [
        `/api/broadcasts/${broadcastId}`,
        `/api/broadcasts/${broadcastId}/results`,
        `/api/broadcasts/${broadcastId}/results.csv`,
      ];

      // No grant yet: the broadcast is someone else's data.
      for (const path of broadcastPaths) {
        await request(url).get(path).set(as(assistant)).expect(404);
        await request(url).get(path).set(as(other)).expect(404);
      }
      await request(url)
        .post(`/api/broadcasts/${broadcastId}/remind`)
        .set(as(assistant))
        .expect(404);
      await request(url).post(`/api/broadcasts/${broadcastId}/retry`).set(as(other)).expect(404);

      // Even an instructor grant lets an assistant account remind and read, never send.
      await request(url)
        .put(`/api/meetings/${meetingA}/instructors/${assistant.id}`)
        .set(as(hostById))
        .send({ role: 'instructor' })
        .expect(200);
      await request(url)
        .post('/api/send-question')
        .set(as(assistant))
        .send({ meeting_id: meetingA, question_link: 'https://forms.example.com/q/2' })
        .expect(403);
      await request(url)
        .post(`/api/broadcasts/${broadcastId}/remind`)
        .set(as(assistant))
        .expect(202);
      for (const path of broadcastPaths)
        await request(url).get(path).set(as(assistant)).expect(200);
      await request(url)
        .get(`/api/meetings/${meetingA}/participants`)
        .set(as(assistant))
        .expect(200);

      // An instructor account granted "assistant": reads, then 403 (not 404) for a retry.
      await request(url)
        .put(`/api/meetings/${meetingA}/instructors/${other.id}`)
        .set(as(hostById))
        .send({ role: 'assistant' })
        .expect(200);
      await request(url).get(`/api/broadcasts/${broadcastId}`).set(as(other)).expect(200);
      const retry = await request(url)
        .post(`/api/broadcasts/${broadcastId}/retry`)
        .set(as(other))
        .expect(403);
      expect(retry.body.message).toMatch(/lets you send reminders to it, not send questions to it/);
      await request(url)
        .delete(`/api/meetings/${meetingA}/instructors/${other.id}`)
        .set(as(hostById))
        .expect(204);
    });
  });

  describe('question ownership', () => {
    it("answers 404 for another instructor's question on every route and leaves it out of their list", async () => {
      const mine = await createQuestion(as(hostById), 'Mine only');
      const theirs = await createQuestion(as(other), 'Theirs');
      const path = `/api/questions/${mine}`;

      const got = await request(url).get(path).set(as(other)).expect(404);
      expect(got.body.message).toBe(`Question ${mine} not found`);
      await request(url).patch(path).set(as(other)).send({ title: 'Stolen' }).expect(404);
      await request(url)
        .put(path)
        .set(as(other))
        .send({ title: 'Stolen', question_text: '?', options: ['a', 'b'] })
        .expect(404);
      await request(url).delete(path).set(as(other)).expect(404);
      await send(as(other), mine, meetingA).expect(404);
      // Even the meeting's host cannot send someone else's question.
      await send(as(hostById), theirs, meetingA).expect(404);

      const list = await request(url).get('/api/questions?limit=100').set(as(other)).expect(200);
      const ids = list.body.items.map((q: { id: string }) => q.id);
      expect(ids).toContain(theirs);
      expect(ids).not.toContain(mine);
      expect(list.body.total).toBe(ids.length);
      expect(list.body.items.every((q: { owner_id: string }) => q.owner_id === other.id)).toBe(
        true,
      );

      // The owner still has it, unchanged.
      const own = await request(url).get(path).set(as(hostById)).expect(200);
      expect(own.body).toMatchObject({ title: 'Mine only', owner_id: hostById.id });
    });

    it('shows an admin everything, ownerless questions included, which no instructor sees', async () => {
      const mine = await createQuestion(as(hostById), 'Admin sees this');
      const ownerless = await createQuestion(admin, 'Bootstrap question');
      await request(url).get(`/api/questions/${mine}`).set(admin).expect(200);
      await request(url).get(`/api/questions/${ownerless}`).set(as(hostById)).expect(404);
      const list = await request(url).get('/api/questions?limit=100').set(admin).expect(200);
      const ids = list.body.items.map((q: { id: string }) => q.id);
      expect(ids).toEqual(expect.arrayContaining([mine, ownerless]));
      await request(url)
        .patch(`/api/questions/${mine}`)
        .set(admin)
        .send({ title: 'Edited by admin' })
        .expect(200);
    });
  });
});
