import request from 'supertest';
import { createInstructor, type CreatedInstructor } from './utils/instructors';
import { parseCsv } from './utils/csv';
import { TEST_API_KEY } from './utils/test-app';
import { waitUntil } from './utils/wait';
import { seedMeeting, startZoomWorld, type ZoomWorld } from './utils/zoom-world';

/**
 * A run's results (issue 16, docs/architecture.md §29) end to end: a run started through the API
 * in a simulator meeting (its run broadcast, step broadcasts and messages written by the app),
 * answered through each person's run link (POST /r/{token}/answer) and moved on with `next`;
 * then GET /api/runs/{id}/results and .csv, and the meeting leaderboard.
 */
const auth = { 'X-API-Key': TEST_API_KEY };

interface Person {
  email: string;
  token: string;
}

describe('Run results (e2e: app + database + Zoom simulator over HTTP)', () => {
  let world: ZoomWorld;
  let url: string;
  let other: CreatedInstructor;
  const api = () => request(url);

  beforeAll(async () => {
    world = await startZoomWorld({ app: { name: 'run_results' } });
    url = world.app.url;
    other = await createInstructor(world.app, { role: 'instructor' });
  }, 120_000);
  afterAll(async () => world?.close());
  beforeEach(() => world.sim.reset());

  /** Questions worth 10, 20 and 10 points: single (right: 1), numeric (right: 4), single (right: 0). */
  async function createSet(settings: Record<string, unknown> = {}): Promise<string> {
    const bodies = [
      {
        title: 'Capital',
        question_text: 'Capital of France?',
        options: ['Rome', 'Paris'],
        correct_answer: 1,
        points: 10,
      },
      { title: 'Sum', question_text: '2 + 2?', type: 'numeric', correct_value: 4, points: 20 },
      {
        title: 'Planet',
        question_text: 'Largest planet?',
        options: ['Jupiter', 'Mars'],
        correct_answer: 0,
        points: 10,
      },
    ];
    const ids: string[] = [];
    for (const body of bodies) {
      ids.push(
        (await api().post('/api/questions').set(auth).send(body).expect(201)).body.id as string,
      );
    }
    const set = await api()
      .post('/api/question-sets')
      .set(auth)
      .send({ title: 'Friday quiz', question_ids: ids, pacing: 'instructor', ...settings })
      .expect(201);
    return set.body.id as string;
  }

  /** Starts a run of the set in a new meeting and waits for its messages; each member's link. */
  async function startRun(setId: string, members: number, guests = 0) {
    const { meetingId } = await seedMeeting(world.sim, { members, guests });
    const started = await api()
      .post(`/api/question-sets/${setId}/runs`)
      .set(auth)
      .send({ meeting_id: meetingId })
      .expect(201);
    const runId = started.body.id as string;
    await waitUntil(
      async () => {
        const c = (await api().get(`/api/runs/${runId}`).set(auth).expect(200)).body.counts
          .recipients;
        return c.total > 0 && c.pending + c.sending === 0;
      },
      60_000,
      'the run messages to be sent',
      200,
    );
    const people = new Map<string, Person>();
    for (const m of world.sim.messages()) {
      const token = /\/r\/([A-Za-z0-9_-]+)/.exec(m.message)?.[1];
      if (token && m.to_contact) people.set(m.to_contact, { email: m.to_contact, token });
    }
    return {
      meetingId,
      runId,
      questionIds: (started.body.steps as Array<{ question_id: string }>).map((s) => s.question_id),
      stepIds: (started.body.steps as Array<{ step_broadcast_id: string }>).map(
        (s) => s.step_broadcast_id,
      ),
      person: (i: number): Person => people.get(`member${i}@example.com`)!,
    };
  }

  /** `person` answers question `index` of the run through their run link. */
  async function answer(
    run: { questionIds: string[] },
    person: Person,
    index: number,
    value: Record<string, unknown>,
  ): Promise<void> {
    await api()
      .post(`/r/${person.token}/answer`)
      .send({ question_id: run.questionIds[index], ...value })
      .expect(200);
  }

  const next = (runId: string, index: number) =>
    api().post(`/api/runs/${runId}/next`).set(auth).send({ current_index: index }).expect(200);

  it('gives per-question results, per-person totals and a leaderboard with shared ranks; the CSV and the meeting leaderboard agree', async () => {
    const setId = await createSet();
    const run = await startRun(setId, 4, 1);
    const [ada, bob, cy, dee] = [0, 1, 2, 3].map(run.person);
    const q = run.questionIds;
    // Q1 (10): ada right, bob wrong, dee right. Q2 (20): bob right, ada wrong. Q3 (10): ada, dee right.
    await answer(run, ada, 0, { choice: 1 });
    await answer(run, bob, 0, { choice: 0 });
    await answer(run, dee, 0, { choice: 1 });
    await next(run.runId, 0);
    await answer(run, bob, 1, { value: 4 });
    await answer(run, ada, 1, { value: 5 });
    await next(run.runId, 1);
    await answer(run, ada, 2, { choice: 0 });
    await answer(run, dee, 2, { choice: 0 });
    await next(run.runId, 2);

    const res = await api().get(`/api/runs/${run.runId}/results`).set(auth).expect(200);
    expect(res.body).toMatchObject({
      run_id: run.runId,
      meeting_id: run.meetingId,
      title: 'Friday quiz',
      state: 'ended',
      anonymous: false,
      recipients: 5,
      participants: 3,
    });
    // Each question's results are its step broadcast's.
    for (const [index, stepId] of run.stepIds.entries()) {
      const own = await api().get(`/api/broadcasts/${stepId}/results`).set(auth).expect(200);
      const inRun = res.body.questions[index];
      expect(inRun).toMatchObject({ index, question_id: q[index], broadcast_id: stepId });
      expect(inRun.results.responses).toEqual(own.body.responses);
      expect(inRun.results.question).toEqual(own.body.question);
      expect(inRun.results.correct_count).toBe(own.body.correct_count);
    }
    expect(
      res.body.questions.map((x: { results: { answered: number } }) => x.results.answered),
    ).toEqual([3, 2, 2]);

    // Ada and Dee: 20 points, 2 right each: one rank; Bob: 20 points, 1 right: third.
    expect(
      res.body.leaderboard.map((e: Record<string, unknown>) => [
        e.rank,
        e.email,
        e.total,
        e.correct,
        e.answered,
      ]),
    ).toEqual([
      [1, ada.email, 20, 2, 3],
      [1, dee.email, 20, 2, 2],
      [3, bob.email, 20, 1, 2],
    ]);
    const rows = new Map(
      (res.body.people as Array<{ email: string | null; name: string }>).map((p) => [
        p.email ?? p.name,
        p,
      ]),
    );
    expect(rows.size).toBe(5);
    expect(rows.get(ada.email)).toMatchObject({
      name: 'Member 0',
      link_status: 'sent',
      rank: 1,
      total_score: 20,
      correct_count: 2,
      answered_count: 3,
      answers: [
        {
          index: 0,
          question_id: q[0],
          answered: true,
          answer_text: 'Paris',
          correct: true,
          score: 10,
        },
        { index: 1, question_id: q[1], answered: true, answer_text: '5', correct: false, score: 0 },
        {
          index: 2,
          question_id: q[2],
          answered: true,
          answer_text: 'Jupiter',
          correct: true,
          score: 10,
        },
      ],
    });
    expect(rows.get(cy.email)).toMatchObject({ rank: null, total_score: 0, answered_count: 0 });
    expect(rows.get('Guest 0')).toMatchObject({ link_status: 'unreachable', answered_count: 0 });

    // The CSV: one row per person, one column group per question.
    const csv = await api().get(`/api/runs/${run.runId}/results.csv`).set(auth).expect(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe(
      `attachment; filename="run-results-${run.runId}.csv"`,
    );
    const table = parseCsv(csv.text);
    expect(table[0]).toEqual([
      'name',
      'email',
      'person_key',
      'link_status',
      'rank',
      'Q1 answer',
      'Q1 correct',
      'Q1 score',
      'Q2 answer',
      'Q2 correct',
      'Q2 score',
      'Q3 answer',
      'Q3 correct',
      'Q3 score',
      'total_score',
      'correct_count',
      'answered_count',
    ]);
    expect(table).toHaveLength(1 + 5);
    const bobRow = table.find((r) => r[1] === bob.email)!;
    expect([bobRow[3], bobRow[4], ...bobRow.slice(5)]).toEqual([
      'sent',
      '3',
      'Rome',
      'no',
      '0',
      '4',
      'yes',
      '20',
      '',
      '',
      '',
      '20',
      '1',
      '2',
    ]);
    const semicolon = await api()
      .get(`/api/runs/${run.runId}/results.csv?delimiter=semicolon`)
      .set(auth)
      .expect(200);
    expect(parseCsv(semicolon.text, ';')[0][0]).toBe('name');

    // The meeting leaderboard counts the run's answers.
    const meeting = await api()
      .get(`/api/meetings/${run.meetingId}/leaderboard`)
      .set(auth)
      .expect(200);
    expect(
      meeting.body.items.map((e: Record<string, unknown>) => [e.rank, e.email, e.total, e.correct]),
    ).toEqual([
      [1, ada.email, 20, 2],
      [1, dee.email, 20, 2],
      [3, bob.email, 20, 1],
    ]);
  }, 180_000);

  it("answers another instructor's run 404 on both routes, and a bad id 400", async () => {
    const run = await startRun(await createSet(), 1);
    for (const path of [`/api/runs/${run.runId}/results`, `/api/runs/${run.runId}/results.csv`]) {
      const res = await api().get(path).set('X-API-Key', other.key);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
    }
    await api().get('/api/runs/not-an-id/results').set(auth).expect(400);
    await api().get('/api/runs/665f1c2e8a1b2c3d4e5f6a7b/results').set(auth).expect(404);
  }, 120_000);

  it('gives an anonymous run aggregates only: no people, no leaderboard, a CSV naming no one', async () => {
    const run = await startRun(await createSet({ anonymous: true }), 2);
    const q = run.questionIds;
    await answer(run, run.person(0), 0, { choice: 1 });
    await answer(run, run.person(1), 0, { choice: 0 });

    const res = await api().get(`/api/runs/${run.runId}/results`).set(auth).expect(200);
    expect(res.body).toMatchObject({
      anonymous: true,
      people: [],
      leaderboard: [],
      participants: null,
    });
    expect(res.body.questions[0].results).toMatchObject({
      anonymous: true,
      answered: 2,
      correct_count: 1,
      responses: [],
    });

    const csv = await api().get(`/api/runs/${run.runId}/results.csv`).set(auth).expect(200);
    const table = parseCsv(csv.text);
    expect(table[0]).toEqual([
      'question',
      'question_id',
      'title',
      'answered',
      'correct_count',
      'correct_percent',
      'mean_credit',
    ]);
    expect(table.slice(1).map((r) => [r[0], r[1], r[3]])).toEqual([
      ['Q1', q[0], '2'],
      ['Q2', q[1], '0'],
      ['Q3', q[2], '0'],
    ]);
    expect(csv.text).not.toContain('@example.com');
    const meeting = await api()
      .get(`/api/meetings/${run.meetingId}/leaderboard`)
      .set(auth)
      .expect(200);
    expect(meeting.body.items).toEqual([]);
  }, 120_000);
});
