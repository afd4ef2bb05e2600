/**
 * Route x role matrix: every operation of the app's OpenAPI document, called by every kind of
 * caller, against the one table below. An operation with no row fails the test (a new route must
 * say who may call it), and so does a row whose role differs from the route's @RequireRole.
 *
 * Outcomes that the role decides (401, 403) are asserted exactly. For callers the role lets
 * through, the default is "allowed": any answer but 401 or 403 (a 404 for a made-up id is fine).
 * A row tightens that per caller with an exact status (ownership and meeting grants, e.g. the
 * self-service key routes answer 404 for another person's account).
 */
import request from 'supertest';
import { hasRole, type Role } from '../src/common/auth/actor';
import { createInstructor, type CreatedInstructor } from './utils/instructors';
import { TEST_API_KEY } from './utils/test-app';
import { SENDER_EMAIL, seedMeeting, startZoomWorld, type ZoomWorld } from './utils/zoom-world';

const CALLERS = [
  'admin', // an instructor record with the admin role
  'bootstrap', // a key from API_KEYS
  'owner', // the instructor who owns the question in the path and hosts the meeting (Zoom says so)
  'other', // another instructor
  'assistant', // granted "assistant" in the meeting by its host
  'revoked', // an admin's key, revoked
  'disabled', // an admin whose account is disabled
  'none', // no key at all
] as const;
type Caller = (typeof CALLERS)[number];

/** What a caller's key is worth, role-wise; null: no valid key (the guard answers 401). */
const CALLER_ROLE: Record<Caller, Role | null> = {
  admin: 'admin',
  bootstrap: 'admin',
  owner: 'instructor',
  other: 'instructor',
  assistant: 'assistant',
  revoked: null,
  disabled: null,
  none: null,
};

/** An exact status, or 'allowed': anything but 401 and 403. */
type Outcome = number | 'allowed';

interface Fixtures {
  meetingId: string;
  /** Granted "assistant" in the meeting by the owner, for the grant routes' calls (not a caller). */
  grantee: CreatedInstructor;
  questionId: string;
  broadcastId: string;
  /** The owner's course, naming the meeting. */
  courseId: string;
  /** The owner's question set, of the owner's question. */
  setId: string;
  owner: CreatedInstructor;
  /** An account admins change in PATCH /api/instructors/{id} (not a caller). */
  target: CreatedInstructor;
  url: string;
}

interface Call {
  params?: Record<string, string>;
  body?: unknown;
}

interface Row {
  /** The route's @RequireRole, or 'public' for @Public() routes. */
  role: Role | 'public';
  /** Path parameters and body for one call (run before each caller's request). */
  call?: (f: Fixtures) => Call | Promise<Call>;
  /** Exact outcomes per caller where the role alone does not decide. */
  expect?: Partial<Record<Caller, Outcome>>;
}

const QUESTION = {
  title: 'Capital of France',
  question_text: 'What is the capital of France?',
  options: ['Berlin', 'Paris', 'Rome'],
  correct_answer: 1,
};
let unique = 0;

/** Another person's account: the self-service key routes answer 404 (ApiKeysService). */
const OWN_KEYS_ONLY: Partial<Record<Caller, Outcome>> = { other: 404, assistant: 404 };

/**
 * Ownership and meeting access (README "Meetings: hosts and grants"): another instructor's
 * question is 404, a broadcast in a meeting they may not read is 404, a meeting they may not read
 * is 403; the assistant is granted "assistant" in the meeting, so reads and reminds.
 */
const NOT_OTHERS_QUESTION = { other: 404 } as const;
const MEETING_READ: Partial<Record<Caller, Outcome>> = { owner: 200, other: 403, assistant: 200 };
const BROADCAST_READ: Partial<Record<Caller, Outcome>> = { owner: 200, other: 404, assistant: 200 };

const question = (f: Fixtures): Call => ({ params: { id: f.questionId } });
const course = (f: Fixtures): Call => ({ params: { id: f.courseId } });
/** Courses are owned like questions: another instructor's is 404, admins see every one. */
const OWNERS_COURSE = (status: number): Partial<Record<Caller, Outcome>> => ({
  owner: status,
  admin: status,
  bootstrap: status,
  other: 404,
});
const questionSet = (f: Fixtures): Call => ({ params: { id: f.setId } });
const broadcast = (f: Fixtures): Call => ({ params: { id: f.broadcastId } });
const meeting = (f: Fixtures): Call => ({ params: { meeting_id: f.meetingId } });

const MATRIX: Record<string, Row> = {
  'GET /': { role: 'public' },
  'GET /health': { role: 'public' },
  'GET /q/{token}': { role: 'public', call: () => ({ params: { token: 'not-a-real-token' } }) },
  'POST /q/{token}/answer': {
    role: 'public',
    call: () => ({ params: { token: 'not-a-real-token' }, body: { answer: 0 } }),
  },
  // A run's personal link (issue 16): the token is the credential, whoever calls.
  'GET /r/{token}': { role: 'public', call: () => ({ params: { token: 'not-a-real-token' } }) },
  'GET /r/{token}/state': {
    role: 'public',
    call: () => ({ params: { token: 'not-a-real-token' } }),
  },
  'GET /r/{token}/events': {
    role: 'public',
    call: () => ({ params: { token: 'not-a-real-token' } }),
  },
  'POST /r/{token}/answer': {
    role: 'public',
    call: () => ({
      params: { token: 'not-a-real-token' },
      body: { question_id: '665f1c2e9b1d8a0012345678', choice: 0 },
    }),
  },
  // Zoom's signature is the credential: every caller without one is refused by the webhook.
  'POST /api/zoom/webhook': {
    role: 'public',
    call: () => ({ body: { event: 'meeting.participant_joined', payload: {} } }),
    expect: Object.fromEntries(CALLERS.map((c) => [c, 401])),
  },

  'GET /api/me': { role: 'assistant' },

  'GET /metrics': { role: 'admin', expect: { admin: 200, bootstrap: 200 } },

  'GET /api/instructors': { role: 'admin' },
  'POST /api/instructors': {
    role: 'admin',
    call: () => ({
      body: { name: 'New', email: `matrix-${++unique}@example.edu`, role: 'assistant' },
    }),
    expect: { admin: 201, bootstrap: 201 },
  },
  'GET /api/instructors/{id}': {
    role: 'admin',
    call: (f) => ({ params: { id: f.target.id } }),
    expect: { admin: 200, bootstrap: 200 },
  },
  'PATCH /api/instructors/{id}': {
    role: 'admin',
    call: (f) => ({ params: { id: f.target.id }, body: { name: `Renamed ${++unique}` } }),
    expect: { admin: 200, bootstrap: 200 },
  },
  'GET /api/instructors/{id}/api-keys': {
    role: 'assistant',
    call: (f) => ({ params: { id: f.owner.id } }),
    expect: { ...OWN_KEYS_ONLY, admin: 200, bootstrap: 200, owner: 200 },
  },
  'POST /api/instructors/{id}/api-keys': {
    role: 'assistant',
    call: (f) => ({ params: { id: f.owner.id }, body: {} }),
    expect: { ...OWN_KEYS_ONLY, admin: 201, bootstrap: 201, owner: 201 },
  },
  'DELETE /api/instructors/{id}/api-keys/{key_id}': {
    role: 'assistant',
    // A spare key of the owner's each time, never the one the owner calls with.
    call: async (f) => {
      const spare = await request(f.url)
        .post(`/api/instructors/${f.owner.id}/api-keys`)
        .set('X-API-Key', TEST_API_KEY)
        .send({})
        .expect(201);
      return { params: { id: f.owner.id, key_id: spare.body.id as string } };
    },
    expect: { ...OWN_KEYS_ONLY, admin: 204, bootstrap: 204, owner: 204 },
  },

  'GET /api/audit': { role: 'admin', expect: { admin: 200, bootstrap: 200 } },
  // An email nobody used: an erasure that finds nothing answers zeros.
  'DELETE /api/people/{email}': {
    role: 'admin',
    call: () => ({ params: { email: 'nobody@example.edu' } }),
    expect: { admin: 200, bootstrap: 200 },
  },

  'GET /api/questions': { role: 'instructor', expect: { owner: 200, other: 200 } },
  'POST /api/questions': {
    role: 'instructor',
    call: () => ({ body: QUESTION }),
    expect: { owner: 201, other: 201 },
  },
  'GET /api/questions/export': { role: 'instructor', expect: { owner: 200, other: 200 } },
  'GET /api/questions/export.csv': { role: 'instructor', expect: { owner: 200, other: 200 } },
  'POST /api/questions/import': {
    role: 'instructor',
    // A new title each call: the same question twice in one bank is a duplicate (409).
    call: () => ({ body: [{ ...QUESTION, title: `Imported ${++unique}` }] }),
    expect: { owner: 201, other: 201, admin: 201, bootstrap: 201 },
  },
  'GET /api/questions/{id}': {
    role: 'instructor',
    call: question,
    expect: { ...NOT_OTHERS_QUESTION, owner: 200, admin: 200 },
  },
  'PUT /api/questions/{id}': {
    role: 'instructor',
    call: (f) => ({ ...question(f), body: QUESTION }),
    expect: { ...NOT_OTHERS_QUESTION, owner: 200, admin: 200 },
  },
  'PATCH /api/questions/{id}': {
    role: 'instructor',
    call: (f) => ({ ...question(f), body: { title: 'Renamed' } }),
    expect: { ...NOT_OTHERS_QUESTION, owner: 200, admin: 200 },
  },
  'DELETE /api/questions/{id}': {
    role: 'instructor',
    // A fresh question of the owner's each time, so every caller finds one to delete.
    call: async (f) => {
      const created = await request(f.url)
        .post('/api/questions')
        .set('X-API-Key', f.owner.key)
        .send(QUESTION)
        .expect(201);
      return { params: { id: created.body.id as string } };
    },
    expect: { ...NOT_OTHERS_QUESTION, owner: 204, admin: 204 },
  },
  'POST /api/questions/{id}/send': {
    role: 'instructor',
    // allow_duplicate: the question is still open in the meeting from the fixture's send.
    call: (f) => ({ ...question(f), body: { meeting_id: f.meetingId, allow_duplicate: true } }),
    // The question is checked first: another's is 404 whatever the meeting.
    expect: { ...NOT_OTHERS_QUESTION, owner: 202, admin: 202 },
  },
  'POST /api/send-question': {
    role: 'instructor',
    call: (f) => ({
      body: { meeting_id: f.meetingId, question_link: 'https://forms.example.edu/quiz/1' },
    }),
    expect: { other: 403 },
  },
  'POST /api/broadcasts/{id}/retry': {
    role: 'instructor',
    call: (f) => ({ ...broadcast(f), body: {} }),
    expect: { owner: 202, other: 404 },
  },
  'GET /api/test-zoom': { role: 'instructor' },
  // Idempotent: the first caller closes (or reveals), the others find it so.
  'POST /api/broadcasts/{id}/close': { role: 'instructor', call: broadcast },
  'POST /api/broadcasts/{id}/reveal': { role: 'instructor', call: broadcast },

  'GET /api/broadcasts/{id}': { role: 'assistant', call: broadcast, expect: BROADCAST_READ },
  'GET /api/broadcasts/{id}/results': {
    role: 'assistant',
    call: broadcast,
    expect: BROADCAST_READ,
  },
  'GET /api/broadcasts/{id}/results.csv': {
    role: 'assistant',
    call: broadcast,
    expect: BROADCAST_READ,
  },
  'GET /api/broadcasts/{id}/stream': { role: 'assistant', call: broadcast, expect: BROADCAST_READ },
  'POST /api/broadcasts/{id}/remind': {
    role: 'assistant',
    call: broadcast,
    expect: { owner: 202, other: 404, assistant: 202 },
  },
  'GET /api/meetings/{meeting_id}/broadcasts': {
    role: 'assistant',
    call: meeting,
    expect: MEETING_READ,
  },
  'GET /api/meetings/{meeting_id}/leaderboard': {
    role: 'assistant',
    call: meeting,
    expect: MEETING_READ,
  },
  'GET /api/meetings/{meeting_id}/participants': {
    role: 'assistant',
    call: meeting,
    expect: MEETING_READ,
  },
  'POST /api/meetings/{meeting_id}/participants/sync': {
    role: 'assistant',
    call: meeting,
    expect: MEETING_READ,
  },

  'GET /api/meetings/{meeting_id}/instructors': {
    role: 'assistant',
    call: meeting,
    expect: MEETING_READ,
  },
  // Only the host (the owner here) or an admin manages a meeting's grants.
  'PUT /api/meetings/{meeting_id}/instructors/{instructor_id}': {
    role: 'instructor',
    call: (f) => ({
      params: { meeting_id: f.meetingId, instructor_id: f.grantee.id },
      body: { role: 'assistant' },
    }),
    expect: { owner: 200, admin: 200, bootstrap: 200, other: 403 },
  },
  'DELETE /api/meetings/{meeting_id}/instructors/{instructor_id}': {
    role: 'instructor',
    // A grant to revoke each time.
    call: async (f) => {
      await request(f.url)
        .put(`/api/meetings/${f.meetingId}/instructors/${f.grantee.id}`)
        .set('X-API-Key', TEST_API_KEY)
        .send({ role: 'assistant' })
        .expect(200);
      return { params: { meeting_id: f.meetingId, instructor_id: f.grantee.id } };
    },
    expect: { owner: 204, admin: 204, bootstrap: 204, other: 403 },
  },
  'GET /api/meetings': { role: 'assistant' },
  'GET /api/courses': { role: 'instructor', expect: { owner: 200, other: 200 } },
  // Naming a meeting needs read access to it: the owner hosts it, the other instructor may not.
  'POST /api/courses': {
    role: 'instructor',
    call: (f) => ({ body: { title: 'Physics 101', meeting_ids: [f.meetingId] } }),
    expect: { owner: 201, admin: 201, bootstrap: 201, other: 403 },
  },
  'GET /api/courses/{id}': { role: 'instructor', call: course, expect: OWNERS_COURSE(200) },
  'PATCH /api/courses/{id}': {
    role: 'instructor',
    call: (f) => ({ ...course(f), body: { title: 'Renamed' } }),
    expect: OWNERS_COURSE(200),
  },
  'DELETE /api/courses/{id}': {
    role: 'instructor',
    // A fresh course of the owner's each time, so every caller finds one to delete.
    call: async (f) => {
      const created = await request(f.url)
        .post('/api/courses')
        .set('X-API-Key', f.owner.key)
        .send({ title: 'To delete', meeting_ids: [f.meetingId] })
        .expect(201);
      return { params: { id: created.body.id as string } };
    },
    expect: OWNERS_COURSE(204),
  },
  'PUT /api/courses/{id}/roster': {
    role: 'instructor',
    call: (f) => ({
      ...course(f),
      body: { students: [{ name: 'Ada Lovelace', email: 'ada@example.edu' }] },
    }),
    expect: OWNERS_COURSE(200),
  },
  'GET /api/courses/{id}/roster': { role: 'instructor', call: course, expect: OWNERS_COURSE(200) },
  'GET /api/courses/{id}/roster.csv': {
    role: 'instructor',
    call: course,
    expect: OWNERS_COURSE(200),
  },
  'GET /api/courses/{id}/gradebook': {
    role: 'instructor',
    call: course,
    expect: OWNERS_COURSE(200),
  },
  'GET /api/courses/{id}/gradebook.csv': {
    role: 'instructor',
    call: course,
    expect: OWNERS_COURSE(200),
  },
  'GET /api/courses/{id}/attendance': {
    role: 'instructor',
    call: course,
    expect: OWNERS_COURSE(200),
  },
  'GET /api/courses/{id}/attendance.csv': {
    role: 'instructor',
    call: course,
    expect: OWNERS_COURSE(200),
  },

  // Question sets (issue 16): owned like courses; naming a question needs it in your bank.
  'GET /api/question-sets': { role: 'instructor', expect: { owner: 200, other: 200 } },
  'POST /api/question-sets': {
    role: 'instructor',
    call: (f) => ({
      body: { title: 'Week 1', question_ids: [f.questionId], pacing: 'instructor' },
    }),
    // The other instructor cannot see the owner's question: 400 naming it.
    expect: { owner: 201, admin: 201, bootstrap: 201, other: 400 },
  },
  'GET /api/question-sets/{id}': {
    role: 'instructor',
    call: questionSet,
    expect: OWNERS_COURSE(200),
  },
  'PATCH /api/question-sets/{id}': {
    role: 'instructor',
    call: (f) => ({ ...questionSet(f), body: { title: 'Renamed' } }),
    expect: OWNERS_COURSE(200),
  },
  'DELETE /api/question-sets/{id}': {
    role: 'instructor',
    // A fresh set of the owner's each time, so every caller finds one to delete.
    call: async (f) => {
      const created = await request(f.url)
        .post('/api/question-sets')
        .set('X-API-Key', f.owner.key)
        .send({ title: 'To delete', question_ids: [f.questionId], pacing: 'self' })
        .expect(201);
      return { params: { id: created.body.id as string } };
    },
    expect: OWNERS_COURSE(204),
  },

  // Run results (issue 16): reads of a run, as GET /api/runs/{id} is.
  'GET /api/runs/{id}/results': {
    role: 'assistant',
    call: ownersRun,
    expect: { ...OWNERS_COURSE(200), assistant: 200 },
  },
  'GET /api/runs/{id}/results.csv': {
    role: 'assistant',
    call: ownersRun,
    expect: { ...OWNERS_COURSE(200), assistant: 200 },
  },

  // Runs (issue 16): started and armed in the owner's meeting from a fresh set of the owner's
  // each time (one live run per meeting and set); owned like sets, read by the meeting's
  // assistant; another instructor's run or arm is 404.
  'POST /api/question-sets/{id}/runs': {
    role: 'instructor',
    call: async (f) => ({
      params: { id: await freshSet(f) },
      body: { meeting_id: f.meetingId },
    }),
    expect: { ...OWNERS_COURSE(201), other: 404 },
  },
  'DELETE /api/run-arms/{id}': {
    role: 'instructor',
    call: async (f) => {
      const armed = await request(f.url)
        .post(`/api/question-sets/${await freshSet(f)}/runs`)
        .set('X-API-Key', f.owner.key)
        .send({ meeting_id: f.meetingId, start: 'on_meeting_start' })
        .expect(202);
      return { params: { id: armed.body.id as string } };
    },
    expect: OWNERS_COURSE(204),
  },
  'GET /api/runs/{id}': {
    role: 'assistant',
    call: ownersRun,
    expect: { ...OWNERS_COURSE(200), assistant: 200 },
  },
  'POST /api/runs/{id}/next': {
    role: 'instructor',
    call: async (f) => ({ ...(await ownersRun(f)), body: { current_index: 0 } }),
    expect: OWNERS_COURSE(200),
  },
  'POST /api/runs/{id}/end': { role: 'instructor', call: ownersRun, expect: OWNERS_COURSE(200) },
  'GET /api/meetings/{meeting_id}/runs': {
    role: 'assistant',
    call: meeting,
    expect: MEETING_READ,
  },
};

/** A new question set of the owner's (of the owner's question). */
async function freshSet(f: Fixtures): Promise<string> {
  const created = await request(f.url)
    .post('/api/question-sets')
    .set('X-API-Key', f.owner.key)
    .send({ title: `Run set ${++unique}`, question_ids: [f.questionId], pacing: 'instructor' })
    .expect(201);
  return created.body.id as string;
}

/** A run the owner started now in the owner's meeting. */
async function ownersRun(f: Fixtures): Promise<Call> {
  const started = await request(f.url)
    .post(`/api/question-sets/${await freshSet(f)}/runs`)
    .set('X-API-Key', f.owner.key)
    .send({ meeting_id: f.meetingId })
    .expect(201);
  return { params: { id: started.body.id as string } };
}

/** The outcome a row expects for a caller: its own entry, else what the role decides. */
function expected(row: Row, caller: Caller): Outcome {
  const exact = row.expect?.[caller];
  if (exact !== undefined) return exact;
  if (row.role === 'public') return 'allowed';
  const role = CALLER_ROLE[caller];
  if (role === null) return 401;
  return hasRole(role, row.role) ? 'allowed' : 403;
}

interface Operation {
  id: string;
  method: string;
  path: string;
  requiredRole: string | undefined;
}

function operationsOf(document: { paths: Record<string, Record<string, unknown>> }): Operation[] {
  const methods = ['get', 'post', 'put', 'patch', 'delete'];
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => methods.includes(method))
      .map(([method, op]) => ({
        id: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        requiredRole: (op as Record<string, string | undefined>)['x-required-role'],
      })),
  );
}

/**
 * One request by fetch, read only as far as its status: the live stream answers 200 and stays
 * open, so the body is cancelled rather than awaited.
 */
async function statusOf(url: string, method: string, key: string | undefined, body: unknown) {
  const headers: Record<string, string> = {};
  if (key !== undefined) headers['X-API-Key'] = key;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(20_000),
  });
  await res.body?.cancel();
  return res.status;
}

describe('Route x role matrix (e2e: every operation in the OpenAPI document x every caller)', () => {
  let world: ZoomWorld;
  let fixtures: Fixtures;
  let operations: Operation[];
  const keys = {} as Record<Caller, string | undefined>;

  beforeAll(async () => {
    world = await startZoomWorld({ app: { name: 'auth_matrix' } });
    const t = world.app;
    const admin = { 'X-API-Key': TEST_API_KEY };
    // One at a time: the test server can fail concurrent inserts under a unique index
    // (docs/architecture.md §12).
    const adminRecord = await createInstructor(t, { role: 'admin' });
    // The owner hosts the seeded meeting: Zoom's host_id for it is the owner's Zoom user id.
    const owner = await createInstructor(t, {
      role: 'instructor',
      zoom_user_id: world.sim.addUser({ email: SENDER_EMAIL }).id,
    });
    const other = await createInstructor(t, { role: 'instructor' });
    const assistant = await createInstructor(t, { role: 'assistant' });
    const revoked = await createInstructor(t, { role: 'admin' });
    const disabled = await createInstructor(t, { role: 'admin' });
    const target = await createInstructor(t, { role: 'assistant' });
    const grantee = await createInstructor(t, { role: 'assistant' });
    await request(t.url)
      .delete(`/api/instructors/${revoked.id}/api-keys/${revoked.keyId}`)
      .set(admin)
      .expect(204);
    await request(t.url)
      .patch(`/api/instructors/${disabled.id}`)
      .set(admin)
      .send({ disabled: true })
      .expect(200);
    Object.assign(keys, {
      admin: adminRecord.key,
      bootstrap: TEST_API_KEY,
      owner: owner.key,
      other: other.key,
      assistant: assistant.key,
      revoked: revoked.key,
      disabled: disabled.key,
      none: undefined,
    });

    const { meetingId } = await seedMeeting(world.sim, { members: 2 });
    const asOwner = { 'X-API-Key': owner.key };
    await request(t.url)
      .put(`/api/meetings/${meetingId}/instructors/${assistant.id}`)
      .set(asOwner)
      .send({ role: 'assistant' })
      .expect(200);
    const questionId = (
      await request(t.url).post('/api/questions').set(asOwner).send(QUESTION).expect(201)
    ).body.id as string;
    const sent = await request(t.url)
      .post(`/api/questions/${questionId}/send`)
      .set(asOwner)
      .send({ meeting_id: meetingId })
      .expect(202);
    const courseId = (
      await request(t.url)
        .post('/api/courses')
        .set(asOwner)
        .send({ title: 'Physics 101', meeting_ids: [meetingId] })
        .expect(201)
    ).body.id as string;
    const setId = (
      await request(t.url)
        .post('/api/question-sets')
        .set(asOwner)
        .send({ title: 'Week 1', question_ids: [questionId], pacing: 'instructor' })
        .expect(201)
    ).body.id as string;
    fixtures = {
      meetingId,
      courseId,
      setId,
      grantee,
      questionId,
      broadcastId: sent.body.id as string,
      owner,
      target,
      url: t.url,
    };
    operations = operationsOf((await request(t.url).get('/docs-json').expect(200)).body);
  }, 360_000);
  afterAll(async () => world?.close());

  it('has exactly one row per operation, with the role the route declares', () => {
    const ids = operations.map((o) => o.id);
    expect({ withoutRow: ids.filter((id) => !(id in MATRIX)) }).toEqual({ withoutRow: [] });
    expect({ withoutOperation: Object.keys(MATRIX).filter((id) => !ids.includes(id)) }).toEqual({
      withoutOperation: [],
    });
    for (const op of operations) {
      const declared = op.requiredRole ?? 'public';
      expect({ operation: op.id, role: MATRIX[op.id].role }).toEqual({
        operation: op.id,
        role: declared,
      });
    }
  });

  it('answers every (operation, caller) as the table says', async () => {
    const mismatches: string[] = [];
    let checked = 0;
    for (const op of operations) {
      const row = MATRIX[op.id];
      if (!row) continue; // reported by the test above
      for (const caller of CALLERS) {
        const call = (await row.call?.(fixtures)) ?? {};
        const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
          const value = call.params?.[name];
          if (value === undefined) throw new Error(`${op.id}: no value for {${name}} in its row`);
          return encodeURIComponent(value);
        });
        const status = await statusOf(`${fixtures.url}${path}`, op.method, keys[caller], call.body);
        const want = expected(row, caller);
        const ok = want === 'allowed' ? status !== 401 && status !== 403 : status === want;
        if (!ok) mismatches.push(`${op.id} as ${caller}: ${status}, expected ${want}`);
        checked++;
      }
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBe(operations.length * CALLERS.length);
  }, 540_000);
});
