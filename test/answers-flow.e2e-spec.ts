/**
 * The whole chain over HTTP: Zoom webhooks (simulator) put people in a meeting, the instructor
 * sends a question, the simulator receives each personal link by Team Chat, participants open
 * their link and answer, and the instructor reads results, CSV and the leaderboard.
 */
import request from 'supertest';
import type { ZoomSimulator } from '../tools/zoom-simulator';
import { SettableClock } from './utils/settable-clock';
import { TEST_API_KEY } from './utils/test-app';
import { waitUntil } from './utils/wait';
import { SENDER_EMAIL, startZoomWorld, ZoomWorld } from './utils/zoom-world';

const auth = { 'X-API-Key': TEST_API_KEY };
const FORM = 'application/x-www-form-urlencoded';

interface Member {
  name: string;
  email: string;
  zoomUserId: string;
  participantUuid: string;
}

async function createQuestion(url: string, body: object): Promise<string> {
  const res = await request(url).post('/api/questions').set(auth).send(body).expect(201);
  return res.body.id as string;
}

async function sendAndWait(url: string, questionId: string, meetingId: string, mode = 'direct') {
  const sent = await request(url)
    .post(`/api/questions/${questionId}/send`)
    .set(auth)
    .send({ meeting_id: meetingId, mode })
    .expect(202);
  const id = sent.body.id as string;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await request(url).get(`/api/broadcasts/${id}`).set(auth).expect(200);
    if (res.body.status === 'completed') return id;
    if (Date.now() > deadline) throw new Error(`broadcast ${id} did not complete`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The personal link in each Team Chat message since `since`, by recipient (email or channel). */
function linksByRecipient(sim: ZoomSimulator, since = 0): Map<string, string> {
  const links = new Map<string, string>();
  for (const m of sim.messages().slice(since)) {
    const link = /https?:\/\/\S+\/q\/([A-Za-z0-9_-]+)/.exec(m.message)?.[1];
    if (link) links.set(m.to_contact ?? m.to_channel ?? '?', link);
  }
  return links;
}

describe('Answering a question sent through Zoom (e2e: app + database + Zoom simulator)', () => {
  let world: ZoomWorld;
  let url: string;
  let meetingId: string;
  const members: Member[] = [];
  const clock = new SettableClock();

  beforeAll(async () => {
    world = await startZoomWorld({
      app: { env: { ANSWER_GRACE_SECONDS: '1' }, customize: (b) => clock.install(b) },
    });
    url = world.app.url;
    const { sim } = world;
    // The sender hosts it, so it is a member of the meeting's chat channel (docs/zoom.md §2).
    const meeting = sim.createMeeting({
      topic: 'Answers flow',
      continuousChat: true,
      hostEmail: SENDER_EMAIL,
    });
    meetingId = String(meeting.id);
    sim.startMeeting(meetingId);
    for (const [i, name] of ['Ada', 'Bob', 'Cy', 'Dee'].entries()) {
      const user = sim.addUser({ email: `${name.toLowerCase()}@example.com`, name });
      const joined = sim.join(meetingId, { name, email: user.email, zoomUserId: user.id });
      members[i] = {
        name,
        email: user.email,
        zoomUserId: user.id,
        participantUuid: joined.participant_uuid,
      };
    }
    sim.join(meetingId, { name: 'Guest <script>', zoomUserId: '' });
    await sim.flushWebhooks();
  });
  afterAll(async () => world.close());
  afterEach(() => clock.reset());

  it('send → link per person → answer → results, CSV, leaderboard; remind the rest', async () => {
    const { sim } = world;
    const qid = await createQuestion(url, {
      title: 'Capital',
      question_text: 'What is the capital of France?',
      options: ['Berlin', 'Paris', 'Rome'],
      correct_answer: 1,
      time_limit: 60,
      points: 100,
    });
    const before = sim.messages().length;
    const broadcastId = await sendAndWait(url, qid, meetingId);
    const links = linksByRecipient(sim, before);
    expect(links.size).toBe(4);
    const [ada, bob, cy] = members.map((m) => links.get(m.email) ?? '');

    const page = await request(url).get(`/q/${ada}`).expect(200);
    expect(page.text).toContain('What is the capital of France?');
    const json = await request(url).post(`/q/${ada}/answer`).send({ choice: 1 }).expect(200);
    expect(json.body).toMatchObject({ choice: 1, correct: true });
    expect(json.body.score).toBeGreaterThan(90);
    const form = await request(url)
      .post(`/q/${bob}/answer`)
      .type(FORM)
      .send('choice=2')
      .expect(200);
    expect(form.text).toContain('Answer received');
    await request(url).post(`/q/${ada}/answer`).send({ choice: 0 }).expect(409);
    await request(url).post(`/q/${cy}/answer`).send({ choice: 5 }).expect(400);
    await request(url)
      .get(`/q/${'x'.repeat(43)}`)
      .expect(404);

    // Dee leaves without answering.
    sim.leave(meetingId, members[3].participantUuid);
    await sim.flushWebhooks();

    const results = await request(url)
      .get(`/api/broadcasts/${broadcastId}/results`)
      .set(auth)
      .expect(200);
    expect(results.body).toMatchObject({
      mode: 'direct',
      recipients: 5,
      delivered: 4,
      answered: 2,
      correct_count: 1,
      correct_percent: 50,
    });
    expect(results.body.options.map((o: { count: number }) => o.count)).toEqual([0, 1, 1]);
    const byName = Object.fromEntries(
      results.body.non_responders.map((n: { name: string }) => [n.name, n]),
    );
    expect(Object.keys(byName).sort()).toEqual(['Cy', 'Dee', 'Guest <script>']);
    expect(byName.Cy).toMatchObject({
      in_meeting: true,
      reason: 'no_answer',
      person_key: members[2].zoomUserId,
    });
    expect(byName.Dee).toMatchObject({ in_meeting: false, reason: 'left_meeting' });
    expect(byName['Guest <script>']).toMatchObject({ in_meeting: true, reason: 'unreachable' });
    const ada1 = results.body.responses.find((r: { name: string }) => r.name === 'Ada');
    expect(ada1).toMatchObject({ recipient_key: members[0].zoomUserId, choice: 1, correct: true });

    const csv = await request(url)
      .get(`/api/broadcasts/${broadcastId}/results.csv`)
      .set(auth)
      .expect(200);
    const lines = csv.text.split('\r\n');
    expect(lines).toHaveLength(1 + 2 + 3 + 1);
    expect(lines.filter((l) => l.includes(',yes,') && l.includes(',answered'))).toHaveLength(2);

    // Reminders: Cy, and Dee too: she left the meeting but can still answer from Team Chat.
    const sentBefore = sim.messages().length;
    const remind = await request(url)
      .post(`/api/broadcasts/${broadcastId}/remind`)
      .set(auth)
      .expect(202);
    expect(remind.body).toEqual({ reminded: 2 });
    const deadline = Date.now() + 10_000;
    while (sim.messages().length < sentBefore + 2 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const reminders = sim.messages().slice(sentBefore);
    expect(reminders.map((m) => m.to_contact).sort()).toEqual([members[2].email, members[3].email]);
    expect(reminders.every((m) => /Reminder/i.test(m.message))).toBe(true);
    // Same link, same window: the reminder does not restart anyone's clock.
    expect(linksByRecipient(sim, sentBefore).get(members[2].email)).toBe(cy);
    await request(url).post(`/q/${cy}/answer`).send({ choice: 1 }).expect(200);
    // The reminders' outcomes are recorded after Zoom accepted them (grouped with other outcomes,
    // docs/architecture.md §5): a remind before then finds them still being sent.
    await waitUntil(
      async () => {
        const state = await request(url).get(`/api/broadcasts/${broadcastId}`).set(auth);
        const counts = state.body.counts as { pending: number; sending: number };
        return counts.pending === 0 && counts.sending === 0;
      },
      10_000,
      'the reminders recorded as sent',
    );
    const after = await request(url)
      .post(`/api/broadcasts/${broadcastId}/remind`)
      .set(auth)
      .expect(202);
    expect(after.body).toEqual({ reminded: 1 });

    const board = await request(url)
      .get(`/api/meetings/${meetingId}/leaderboard`)
      .set(auth)
      .expect(200);
    expect(board.body.items.map((r: { name: string }) => r.name)).toEqual(['Ada', 'Cy', 'Bob']);
    expect(board.body.items[2]).toMatchObject({ rank: 3, total: 0, answered: 1, correct: 0 });
  });

  it('a 5-second question closes on time: late answers get 410', async () => {
    const { sim } = world;
    const qid = await createQuestion(url, {
      title: 'Quick',
      question_text: '2 + 2?',
      options: ['3', '4'],
      correct_answer: 1,
      time_limit: 5,
      points: 10,
    });
    const before = sim.messages().length;
    await sendAndWait(url, qid, meetingId);
    const links = linksByRecipient(sim, before);
    const ada = links.get(members[0].email) ?? '';
    const bob = links.get(members[1].email) ?? '';
    await request(url).post(`/q/${ada}/answer`).send({ choice: 1 }).expect(200);
    // Bob's message went out before now, so his 5 s window plus the 1 s default grace has ended
    // by now + 6.5 s: the clock jumps there instead of the test sleeping until then.
    clock.set(Date.now() + 6_500);
    await request(url).post(`/q/${bob}/answer`).send({ choice: 1 }).expect(410);
    const closed = await request(url).get(`/q/${bob}`).expect(200);
    expect(closed.text).toContain('This question is closed');
  });

  it('channel mode: one shared link; each person gives name and email', async () => {
    const { sim } = world;
    const qid = await createQuestion(url, {
      title: 'Survey',
      question_text: 'Pace of the course?',
      options: ['Too slow', 'Right', 'Too fast'],
      time_limit: 60,
    });
    const before = sim.messages().length;
    const broadcastId = await sendAndWait(url, qid, meetingId, 'channel');
    const messages = sim.messages().slice(before);
    expect(messages).toHaveLength(1);
    expect(messages[0].to_channel).toBeTruthy();
    const token = /\/q\/([A-Za-z0-9_-]+)/.exec(messages[0].message)?.[1] ?? '';

    const boardBefore = await request(url)
      .get(`/api/meetings/${meetingId}/leaderboard`)
      .set(auth)
      .expect(200);
    const adaBefore = boardBefore.body.items.find(
      (r: { person_key: string }) => r.person_key === members[0].zoomUserId,
    );
    expect(adaBefore).toMatchObject({ name: 'Ada', identity: 'verified' });

    const page = await request(url).get(`/q/${token}`).expect(200);
    expect(page.text).toContain('Your email');
    await request(url).post(`/q/${token}/answer`).send({ choice: 1 }).expect(400);
    await request(url)
      .post(`/q/${token}/answer`)
      .send({ choice: 1, name: 'Ada', email: 'ADA@example.com' })
      .expect(200)
      .expect((res) => expect(res.body).toMatchObject({ correct: null, score: null }));
    await request(url)
      .post(`/q/${token}/answer`)
      .type(FORM)
      .send('choice=2&name=Bob&email=bob%40example.com')
      .expect(200);
    await request(url)
      .post(`/q/${token}/answer`)
      .send({ choice: 0, name: 'Ada', email: 'ada@example.com' })
      .expect(409);
    // Someone types the email of Dee, who is known to Zoom (she got a personal link before).
    await request(url)
      .post(`/q/${token}/answer`)
      .send({ choice: 0, name: 'Mallory', email: members[3].email })
      .expect(200);

    const results = await request(url)
      .get(`/api/broadcasts/${broadcastId}/results`)
      .set(auth)
      .expect(200);
    expect(results.body).toMatchObject({
      mode: 'channel',
      answered: 3,
      answered_verified: 0,
      answered_self_reported: 3,
      correct_count: null,
    });
    // A typed identity is a claim: its own key, marked self-reported, never a Zoom person's key.
    expect(
      results.body.responses
        .map((r: { recipient_key: string; identity: string; name: string }) => [
          r.recipient_key,
          r.identity,
          r.name,
        ])
        .sort(),
    ).toEqual([
      ['self:ada@example.com', 'self_reported', 'Ada'],
      ['self:bob@example.com', 'self_reported', 'Bob'],
      [`self:${members[3].email}`, 'self_reported', 'Mallory'],
    ]);
    const board = await request(url)
      .get(`/api/meetings/${meetingId}/leaderboard`)
      .set(auth)
      .expect(200);
    type Row = { person_key: string; identity: string; name: string; total: number };
    const rows = board.body.items as Row[];
    // Zoom-identified rows are untouched: Ada's verified total is what her own answers earned.
    expect(rows.find((r) => r.person_key === members[0].zoomUserId)).toEqual({
      ...adaBefore,
      rank: expect.any(Number),
    });
    expect(rows.filter((r) => r.identity === 'verified').map((r) => r.name)).not.toContain(
      'Mallory',
    );
    expect(rows.find((r) => r.person_key === `self:${members[3].email}`)).toMatchObject({
      identity: 'self_reported',
      name: 'Mallory',
    });
    // In the meeting now (Dee left): Cy and the guest have not answered.
    expect(results.body.non_responders.map((n: { name: string }) => n.name).sort()).toEqual([
      'Cy',
      'Guest <script>',
    ]);
  });

  it('channel mode hides correctness and score from the answerer, the results keep them', async () => {
    const qid = await createQuestion(url, {
      title: 'Graded',
      question_text: 'Two plus two?',
      options: ['3', '4'],
      correct_answer: 1,
      time_limit: 60,
    });
    const before = world.sim.messages().length;
    const broadcastId = await sendAndWait(url, qid, meetingId, 'channel');
    const token = /\/q\/([A-Za-z0-9_-]+)/.exec(world.sim.messages()[before].message)?.[1] ?? '';
    const res = await request(url)
      .post(`/q/${token}/answer`)
      .send({ choice: 1, name: 'Ada', email: 'ada@example.com' })
      .expect(200);
    expect(res.body).toMatchObject({ choice: 1, correct: null, score: null });
    const results = await request(url)
      .get(`/api/broadcasts/${broadcastId}/results`)
      .set(auth)
      .expect(200);
    expect(results.body.responses).toEqual([
      expect.objectContaining({
        email: 'ada@example.com',
        correct: true,
        score: expect.any(Number),
      }),
    ]);
    expect(results.body.responses[0].score).toBeGreaterThan(0);
  });
});
