/**
 * The waiting room (issue 12, point 1; docs/zoom.md §7): someone in it is not in the meeting, so
 * not a recipient, and is listed apart (status `waiting`). App + database + Zoom simulator over
 * HTTP: the simulator sends Zoom's waiting-room webhooks and marks dashboard rows in_waiting_room.
 */
import request from 'supertest';
import type { WebhookEvent } from '../tools/zoom-simulator';
import { TEST_API_KEY } from './utils/test-app';
import { waitUntil } from './utils/wait';
import { SENDER_EMAIL, seedMeeting, startZoomWorld, type ZoomWorld } from './utils/zoom-world';

const auth = { 'X-API-Key': TEST_API_KEY };
const question = {
  title: 'Waiting room',
  question_text: 'Who gets this?',
  options: ['Everyone', 'Only people in the meeting'],
  correct_answer: 1,
};

interface Person {
  name: string;
  status: string;
  email: string | null;
}

describe('Waiting room (e2e: app + database + Zoom simulator over HTTP)', () => {
  let world: ZoomWorld;
  beforeAll(async () => {
    world = await startZoomWorld({ app: { env: { SEND_WAIT_SECONDS: '20' } } });
  });
  afterAll(async () => world.close());
  beforeEach(() => {
    world.sim.reset();
    world.sim.setWebhookTarget(`${world.app.url}/api/zoom/webhook`);
  });

  const people = async (meetingId: string, status = 'joined'): Promise<Person[]> =>
    (
      await request(world.app.url)
        .get(`/api/meetings/${meetingId}/participants?status=${status}`)
        .set(auth)
        .expect(200)
    ).body.items as Person[];

  const names = async (meetingId: string, status?: string): Promise<string[]> =>
    (await people(meetingId, status)).map((p) => p.name).sort();

  /** Sends the question and waits for the broadcast to finish; returns its recipients. */
  async function sendAndWait(meetingId: string): Promise<Array<{ name: string; status: string }>> {
    const { app } = world;
    const qid = (await request(app.url).post('/api/questions').set(auth).send(question).expect(201))
      .body.id as string;
    const sent = await request(app.url)
      .post(`/api/questions/${qid}/send`)
      .set(auth)
      .send({ meeting_id: meetingId })
      .expect(202);
    let recipients: Array<{ name: string; status: string }> = [];
    await waitUntil(
      async () => {
        const res = await request(app.url)
          .get(`/api/broadcasts/${sent.body.id as string}`)
          .set(auth)
          .expect(200);
        recipients = res.body.recipients as typeof recipients;
        return res.body.status === 'completed';
      },
      60_000,
      'the broadcast to complete',
    );
    return recipients;
  }

  it('someone in the waiting room is listed as waiting, not joined, and is not sent the question', async () => {
    const { sim } = world;
    const { meetingId } = await seedMeeting(sim, { members: 1 });
    const wait = sim.addUser({ email: 'waiting@example.com', name: 'Wendy' });
    sim.joinWaitingRoom(meetingId, { name: 'Wendy', email: wait.email });
    await sim.flushWebhooks();
    expect(sim.webhookDeliveries().every((d) => d.status === 200)).toBe(true);

    expect(await names(meetingId)).toEqual(['Member 0']);
    expect(await names(meetingId, 'waiting')).toEqual(['Wendy']);
    expect((await people(meetingId, 'all')).find((p) => p.name === 'Wendy')?.status).toBe(
      'waiting',
    );
    const count = await request(world.app.url)
      .get(`/api/meetings/${meetingId}/participants?status=waiting`)
      .set(auth)
      .expect(200);
    expect(count.body.count).toBe(1);

    const recipients = await sendAndWait(meetingId);
    expect(recipients.map((r) => r.name)).toEqual(['Member 0']);
    expect(sim.messages().map((m) => m.to_contact)).toEqual(['member0@example.com']);
    expect(sim.messages().every((m) => m.sender === SENDER_EMAIL)).toBe(true);
  });

  it('an admitted person is in the meeting and is sent the question; put back, they wait again', async () => {
    const { sim } = world;
    const { meetingId } = await seedMeeting(sim, { members: 0 });
    const user = sim.addUser({ email: 'admitted@example.com', name: 'Ada' });
    const arrival = sim.joinWaitingRoom(meetingId, { name: 'Ada', email: user.email });
    await sim.flushWebhooks();
    expect(await names(meetingId)).toEqual([]);

    sim.admit(meetingId, arrival.participant_uuid);
    await sim.flushWebhooks();
    expect(await names(meetingId)).toEqual(['Ada']);
    expect(await names(meetingId, 'waiting')).toEqual([]);
    const recipients = await sendAndWait(meetingId);
    expect(recipients).toEqual([expect.objectContaining({ name: 'Ada', status: 'sent' })]);
    expect(sim.messages().map((m) => m.to_contact)).toEqual(['admitted@example.com']);

    sim.putInWaitingRoom(meetingId, arrival.participant_uuid);
    await sim.flushWebhooks();
    expect(await names(meetingId)).toEqual([]);
    expect(await names(meetingId, 'waiting')).toEqual(['Ada']);

    // Leaving from the waiting room: left, neither joined nor waiting.
    sim.leave(meetingId, arrival.participant_uuid);
    await sim.flushWebhooks();
    expect(await names(meetingId, 'waiting')).toEqual([]);
    expect((await people(meetingId, 'left')).map((p) => p.name)).toEqual(['Ada']);
  });

  it("a stale waiting-room event (Zoom's retry after the admit) does not undo the newer join", async () => {
    const { sim } = world;
    const { meetingId } = await seedMeeting(sim, { members: 0 });
    const user = sim.addUser({ email: 'late-retry@example.com', name: 'Rita' });
    // Capture the waiting-room webhook before delivering anything, then deliver it last.
    sim.setWebhookTarget(null);
    const arrival = sim.joinWaitingRoom(meetingId, { name: 'Rita', email: user.email });
    const stale = sim.webhookPayload('meeting.participant_joined_waiting_room', meetingId, arrival);
    sim.setWebhookTarget(`${world.app.url}/api/zoom/webhook`);
    sim.admit(meetingId, arrival.participant_uuid);
    await sim.flushWebhooks();
    expect(await names(meetingId)).toEqual(['Rita']);

    expect((await sim.sendWebhook(`${world.app.url}/api/zoom/webhook`, stale)).status).toBe(200);
    expect(await names(meetingId)).toEqual(['Rita']);
    expect(await names(meetingId, 'waiting')).toEqual([]);
  });

  describe('participant_left_waiting_room ends a waiting-room stay, never a stay in the meeting', () => {
    type Step = [event: WebhookEvent, ts: number];
    const WEBHOOK = () => `${world.app.url}/api/zoom/webhook`;

    /** One person per order: the same events (fixed event_ts) delivered in the order given. */
    async function deliver(meetingId: string, name: string, steps: Step[]): Promise<void> {
      const { sim } = world;
      sim.setWebhookTarget(null);
      const user = sim.addUser({ email: `${name.toLowerCase()}@example.com`, name });
      const arrival = sim.joinWaitingRoom(meetingId, { name, email: user.email });
      for (const [event, ts] of steps) {
        const body = sim.webhookPayload(event, meetingId, arrival, { event_ts: ts });
        expect((await sim.sendWebhook(WEBHOOK(), body)).status).toBe(200);
      }
    }

    const T = 1_764_000_000_000;
    const waiting: Step = ['meeting.participant_joined_waiting_room', T];
    const admitted: Step = ['meeting.participant_admitted', T + 10];
    const joined: Step = ['meeting.participant_joined', T + 20];
    const leftWaitingRoom: Step = ['meeting.participant_left_waiting_room', T + 30];

    it('admitted, then a newer left_waiting_room: in the meeting, whatever the arrival order', async () => {
      const { meetingId } = await seedMeeting(world.sim, { members: 0 });
      const orders: Array<[string, Step[]]> = [
        ['Inorder', [waiting, admitted, joined, leftWaitingRoom]],
        ['Leftfirst', [leftWaitingRoom, waiting, admitted, joined]],
        ['Leftsecond', [waiting, leftWaitingRoom, joined, admitted]],
        ['Admitonly', [leftWaitingRoom, admitted, waiting]],
        // The admit and the leave of the waiting room in one millisecond: the admit stands.
        ['Tie', [waiting, ['meeting.participant_left_waiting_room', T + 10], admitted]],
        ['Tiereversed', [waiting, admitted, ['meeting.participant_left_waiting_room', T + 10]]],
      ];
      for (const [name, steps] of orders) await deliver(meetingId, name, steps);
      expect(await names(meetingId)).toEqual(orders.map(([name]) => name).sort());
      expect(await names(meetingId, 'waiting')).toEqual([]);
    });

    it('still waiting, then left_waiting_room: left, in either order; a newer put-back waits again', async () => {
      const { meetingId } = await seedMeeting(world.sim, { members: 0 });
      const leftAtOnce: Step = ['meeting.participant_left_waiting_room', T + 5];
      await deliver(meetingId, 'Gone', [waiting, leftAtOnce]);
      await deliver(meetingId, 'Gonefirst', [leftAtOnce, waiting]);
      // Admitted, put back (T + 40), then the admit's left_waiting_room (T + 30) arrives last:
      // older than the put-back, it does not end the new stay.
      const putBack: Step = ['meeting.participant_put_in_waiting_room', T + 40];
      await deliver(meetingId, 'Back', [waiting, admitted, joined, putBack, leftWaitingRoom]);
      await deliver(meetingId, 'Backfirst', [leftWaitingRoom, putBack, joined, admitted, waiting]);
      // Put back and then left the waiting room for good (T + 50): left.
      const leftForGood: Step = ['meeting.participant_left_waiting_room', T + 50];
      await deliver(meetingId, 'Quit', [leftForGood, waiting, putBack, admitted]);

      expect(await names(meetingId)).toEqual([]);
      expect(await names(meetingId, 'waiting')).toEqual(['Back', 'Backfirst']);
      expect(await names(meetingId, 'left')).toEqual(['Gone', 'Gonefirst', 'Quit']);
    });
  });

  it('the sync reads the dashboard status: in_waiting_room is waiting, in_meeting is joined', async () => {
    const { sim, app } = world;
    const { meetingId } = await seedMeeting(sim, { members: 1 });
    // The service is "down": none of these webhooks reach it.
    sim.setWebhookTarget(null);
    sim.joinWaitingRoom(meetingId, { name: 'Wendy', email: 'wendy@example.com' });
    sim.join(meetingId, { name: 'Jo', email: 'jo@example.com' });
    const res = await request(app.url)
      .post(`/api/meetings/${meetingId}/participants/sync`)
      .set(auth)
      .expect(200);
    expect(res.body).toMatchObject({ added: 1, total: 2 });
    expect(await names(meetingId)).toEqual(['Jo', 'Member 0']);
    expect(await names(meetingId, 'waiting')).toEqual(['Wendy']);
  });
});
