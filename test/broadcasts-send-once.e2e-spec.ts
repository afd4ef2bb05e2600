import request from 'supertest';
import { DeliveriesRepository } from '../src/broadcasts/deliveries.repository';
import { TEST_API_KEY } from './utils/test-app';
import { waitUntil } from './utils/wait';
import { seedMeeting, startZoomWorld, type ZoomWorld } from './utils/zoom-world';

const auth = { 'X-API-Key': TEST_API_KEY };

/**
 * Sending once (docs/architecture.md §5, 7): a send writes its broadcast, then its deliveries.
 * A second send of the same question that looks at the first one's claim between those two
 * writes must see a send in progress, not a finished send with nothing open. A clean-clone CI
 * run once saw both answer 202; this holds the first send between its two writes (a failpoint
 * on the deliveries' write) so the second always looks in that gap.
 */
describe('Sending once: a second send in the gap between the broadcast and its deliveries (e2e)', () => {
  let world: ZoomWorld;
  beforeAll(async () => {
    world = await startZoomWorld();
  });
  afterAll(async () => world.close());

  it('answers 409 to the second send, and the first still sends to everyone once', async () => {
    const { sim, app } = world;
    const { meetingId } = await seedMeeting(sim, { members: 3 });
    const qid = (
      await request(app.url)
        .post('/api/questions')
        .set(auth)
        .send({ title: 'Gap', question_text: 'Pick one', options: ['A', 'B'], correct_answer: 0 })
        .expect(201)
    ).body.id as string;

    // Failpoint: the first send's deliveries wait until the second send has been answered.
    const deliveries = app.app.get(DeliveriesRepository);
    const createMany = deliveries.createMany.bind(deliveries);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let held = 0;
    const spy = jest.spyOn(deliveries, 'createMany').mockImplementation(async (...args) => {
      // Only the first send's write waits: a second send that got this far has the gap's bug.
      if (++held === 1) await released;
      return createMany(...args);
    });
    try {
      const first = request(app.url)
        .post(`/api/questions/${qid}/send`)
        .set(auth)
        .send({ meeting_id: meetingId })
        .then((res) => res);
      await waitUntil(() => held === 1, 10_000, 'the first send to reach its deliveries');

      const second = await request(app.url)
        .post(`/api/questions/${qid}/send`)
        .set(auth)
        .send({ meeting_id: meetingId });
      expect(second.status).toBe(409);
      expect(second.body.details.open_broadcast_id).toEqual(expect.any(String));

      release();
      const sent = await first;
      expect(sent.status).toBe(202);
      expect(second.body.details.open_broadcast_id).toBe(sent.body.id);
      expect(held).toBe(1);
    } finally {
      release();
      spy.mockRestore();
    }
    const list = await request(app.url)
      .get(`/api/meetings/${meetingId}/broadcasts`)
      .set(auth)
      .expect(200);
    expect(list.body.items).toHaveLength(1);
    const id = list.body.items[0].id as string;
    await waitUntil(
      async () =>
        (await request(app.url).get(`/api/broadcasts/${id}`).set(auth)).body.status === 'completed',
      20_000,
      'the first send to complete',
    );
    // Once each: one broadcast, one message per person.
    expect(sim.messages()).toHaveLength(3);
  });
});
