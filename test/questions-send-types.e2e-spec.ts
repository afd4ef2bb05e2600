import { getConnectionToken } from '@nestjs/mongoose';
import { Connection, Types } from 'mongoose';
import request from 'supertest';
import { TEST_API_KEY } from './utils/test-app';
import { waitUntil } from './utils/wait';
import { seedMeeting, startZoomWorld, ZoomWorld } from './utils/zoom-world';

/**
 * Sending a question of each type (issue 15): the broadcast keeps a snapshot of every field of
 * the question as it was, and the Team Chat message says what kind of answer is expected.
 */

const auth = { 'X-API-Key': TEST_API_KEY };
const EMPTY = {
  options: [],
  correct_answer: null,
  correct_answers: null,
  max_choices: null,
  scale: null,
  correct_value: null,
  tolerance: null,
  unit: null,
  accepted_answers: null,
  max_length: null,
  correct_order: null,
};

const CASES: Array<[string, Record<string, unknown>, Record<string, unknown>, string]> = [
  [
    'single',
    { options: ['Berlin', 'Paris'], correct_answer: 1 },
    { type: 'single', options: ['Berlin', 'Paris'], correct_answer: 1 },
    'Choose one:\n• Berlin\n• Paris\n',
  ],
  [
    'multiple',
    { type: 'multiple', options: ['A', 'B', 'C'], correct_answers: [0, 2], max_choices: 2 },
    { type: 'multiple', options: ['A', 'B', 'C'], correct_answers: [0, 2], max_choices: 2 },
    'Choose up to 2:\n• A\n• B\n• C\n',
  ],
  [
    'true_false',
    { type: 'true_false', correct_answer: 0 },
    { type: 'true_false', options: ['True', 'False'], correct_answer: 0 },
    'True or false?\n',
  ],
  [
    'rating',
    { type: 'rating', scale: { min: 1, max: 5, max_label: 'Great' } },
    { type: 'rating', scale: { min: 1, max: 5, min_label: null, max_label: 'Great' } },
    'Rate from 1 to 5 (Great)\n',
  ],
  [
    'numeric',
    { type: 'numeric', correct_value: 42.5, tolerance: 0.5, unit: 'km' },
    { type: 'numeric', correct_value: 42.5, tolerance: 0.5, unit: 'km' },
    'Type a number (km)\n',
  ],
  [
    'text',
    { type: 'text', accepted_answers: ['Paris'], max_length: 40 },
    { type: 'text', accepted_answers: ['Paris'], max_length: 40 },
    'Type a short answer\n',
  ],
  [
    'ranking',
    { type: 'ranking', options: ['X', 'Y', 'Z'], correct_order: [2, 1, 0] },
    { type: 'ranking', options: ['X', 'Y', 'Z'], correct_order: [2, 1, 0] },
    'Put the options in order:\n• X\n• Y\n• Z\n',
  ],
];

describe('Sending each question type (e2e: app + database + Zoom simulator)', () => {
  let world: ZoomWorld;
  let meetingId: string;
  let memberEmail: string;

  beforeAll(async () => {
    world = await startZoomWorld();
    const seeded = await seedMeeting(world.sim, { members: 1 });
    meetingId = seeded.meetingId;
    memberEmail = seeded.people[0].email!;
  });
  afterAll(async () => world.close());

  it.each(CASES)(
    '%s: snapshots every field and says what to answer',
    async (...[type, body, snapshot, hint]) => {
      const { app, sim } = world;
      const title = `Send ${type}`;
      const qid = (
        await request(app.url)
          .post('/api/questions')
          .set(auth)
          .send({ title, question_text: `A ${type} question?`, ...body })
          .expect(201)
      ).body.id as string;
      const sent = await request(app.url)
        .post(`/api/questions/${qid}/send`)
        .set(auth)
        .send({ meeting_id: meetingId })
        .expect(202);

      const stored = await app.app
        .get<Connection>(getConnectionToken())
        .collection('broadcasts')
        .findOne({ _id: new Types.ObjectId(sent.body.id as string) });
      expect(stored?.question).toMatchObject({
        ...EMPTY,
        ...snapshot,
        title,
        question_text: `A ${type} question?`,
        time_limit: 30,
        points: 10,
      });

      const find = () =>
        sim.messages().find((m) => m.to_contact === memberEmail && m.message.includes(title));
      await waitUntil(() => find() !== undefined, 60_000, `the ${type} question's message`);
      expect(find()?.message).toContain(`A ${type} question?\n${hint}Answer within 30 s: `);
    },
  );
});
