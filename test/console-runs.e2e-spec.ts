/**
 * Runs of question sets in the instructor console (docs/architecture.md §15), over HTTP as a
 * browser without JavaScript uses it: the live room's "Run a question set" form with the CSRF
 * token, the run's page, Next (a stale one is a clear message, never a skip), End, the run's
 * message in the room's list, and another instructor's run answering 404.
 */
import request from 'supertest';
import { createInstructor } from './utils/instructors';
import { auth, createSet, waitForMessages } from './utils/runs';
import { TEST_API_KEY } from './utils/test-app';
import { seedMeeting, startZoomWorld, type ZoomWorld } from './utils/zoom-world';

jest.setTimeout(60_000);

const FORM = 'application/x-www-form-urlencoded';

/** A browser's cookie jar for one site (as in test/console.e2e-spec.ts). */
class Browser {
  readonly cookies = new Map<string, string>();
  constructor(readonly url: string) {}
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  keep(res: request.Response): request.Response {
    const set = res.headers['set-cookie'] as unknown as string[] | undefined;
    for (const cookie of set ?? []) {
      const [pair] = cookie.split(';');
      const [name, value] = pair.split('=');
      if (/Max-Age=0/.test(cookie)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }
  async get(path: string): Promise<request.Response> {
    return this.keep(await request(this.url).get(path).set('cookie', this.header()));
  }
  async post(path: string, form: Record<string, string>): Promise<request.Response> {
    return this.keep(
      await request(this.url)
        .post(path)
        .set({ cookie: this.header(), origin: new URL(this.url).origin })
        .type(FORM)
        .send(new URLSearchParams(form).toString()),
    );
  }
}

const csrfOf = (res: request.Response): string =>
  /<meta name="csrf-token" content="([^"]*)"/.exec(res.text)?.[1] ?? '';

describe('Runs in the instructor console (e2e, no JavaScript)', () => {
  let world: ZoomWorld;
  let url: string;

  beforeAll(async () => {
    world = await startZoomWorld({ app: { name: 'console_runs' } });
    url = world.app.url;
  });
  afterAll(async () => world?.close());

  async function signIn(key: string): Promise<Browser> {
    const browser = new Browser(url);
    const form = await browser.get('/console');
    const token = /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1] ?? '';
    const res = await browser.post('/console/session', { api_key: key, _csrf: token });
    expect(res.status).toBe(303);
    return browser;
  }

  it('starts a run from the live room, moves it on with Next, refuses a stale Next, ends it', async () => {
    const browser = await signIn(TEST_API_KEY);
    const { meetingId } = await seedMeeting(world.sim, { members: 3 });
    const { setId } = await createSet(url, 3);

    const room = await browser.get(`/console/meetings/${meetingId}`);
    expect(room.status).toBe(200);
    expect(room.text).toContain('Run a question set');
    expect(room.text).toContain(`<option value="${setId}">Week 3 quiz</option>`);
    const csrf = csrfOf(room);

    // Without the CSRF token the form does nothing.
    const forged = await browser.post(`/console/meetings/${meetingId}/runs`, { set_id: setId });
    expect(forged.status).toBe(403);

    const started = await browser.post(`/console/meetings/${meetingId}/runs`, {
      _csrf: csrf,
      set_id: setId,
    });
    expect(started.status).toBe(303);
    const runId = /^\/console\/runs\/([0-9a-f]{24})\?done=run_started$/.exec(
      started.headers.location,
    )?.[1];
    expect(runId).toBeDefined();
    const run = await waitForMessages(url, runId!);
    const steps = run.body.steps as Array<{ step_broadcast_id: string }>;

    let page = await browser.get(`/console/runs/${runId}?done=run_started`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('The run has started');
    expect(page.text).toContain('Question 1 of 3: Question 1');
    expect(page.text).toContain('Which option is number 1?');
    expect(page.text).toContain('data-run-poll');
    expect(page.text).toContain('name="current_index" value="0"');
    expect(page.text).toContain(`/console/broadcasts/${steps[0].step_broadcast_id}/present`);
    expect(page.text).toMatch(
      /Messages<\/span><strong>3<\/strong>\s*<span class="muted"\s*>Sent: 3</,
    );

    // Starting the same set again while it runs: the room, with the reason and the live run.
    const again = await browser.post(`/console/meetings/${meetingId}/runs`, {
      _csrf: csrf,
      set_id: setId,
    });
    expect(again.status).toBe(409);
    expect(again.text).toMatch(/role="alert">A run of this set is already live/);
    expect(again.text).toContain(`/console/runs/${runId}`);

    // The live room lists the run, and its message by the set's title.
    const roomAfter = await browser.get(`/console/meetings/${meetingId}`);
    expect(roomAfter.text).toContain(`<a href="/console/runs/${runId}">Week 3 quiz</a>`);
    expect(roomAfter.text).toMatch(
      /Week 3 quiz<\/a>\s*<span class="muted"\s*>run message, direct, 3 recipients/,
    );
    // Its questions are listed on its page, in order, not one by one in the room.
    expect(roomAfter.text).not.toContain(`/console/broadcasts/${steps[1].step_broadcast_id}`);

    const next = await browser.post(`/console/runs/${runId}/next`, {
      _csrf: csrf,
      current_index: '0',
    });
    expect(next.status).toBe(303);
    expect(next.headers.location).toBe(`/console/runs/${runId}?done=next&n=2`);
    page = await browser.get(next.headers.location);
    expect(page.text).toContain('Moved on to question 2.');
    expect(page.text).toContain('Question 2 of 3: Question 2');
    expect(page.text).toContain('name="current_index" value="1"');

    // The same form posted again (a double click): a clear message, the run still at question 2.
    const stale = await browser.post(`/console/runs/${runId}/next`, {
      _csrf: csrf,
      current_index: '0',
    });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('already moved on from question 1');
    expect(stale.text).toContain('nothing was skipped');
    expect(stale.text).toContain('Question 2 of 3: Question 2');
    const api = await request(url).get(`/api/runs/${runId}`).set(auth).expect(200);
    expect(api.body.current_question.index).toBe(1);

    const end = await browser.post(`/console/runs/${runId}/end`, { _csrf: csrf });
    expect(end.status).toBe(303);
    page = await browser.get(end.headers.location);
    expect(page.text).toContain('The run has ended.');
    expect(page.text).toContain('ended by the instructor');
    expect(page.text).not.toContain('data-run-poll');
    expect(page.text).not.toContain('name="current_index"');
    const ended = await request(url).get(`/api/runs/${runId}`).set(auth).expect(200);
    expect(ended.body).toMatchObject({ state: 'ended', end_reason: 'instructor' });

    // Next after the end: said plainly.
    const late = await browser.post(`/console/runs/${runId}/next`, {
      _csrf: csrf,
      current_index: '1',
    });
    expect(late.status).toBe(409);
    expect(late.text).toContain('already ended');
  });

  it("another instructor's run is a 404 page, even with an instructor grant in the meeting", async () => {
    const owner = await createInstructor(world.app, { role: 'instructor' });
    const other = await createInstructor(world.app, { role: 'instructor' });
    const { meetingId } = await seedMeeting(world.sim, { members: 1 });
    for (const who of [owner, other]) {
      await request(url)
        .put(`/api/meetings/${meetingId}/instructors/${who.id}`)
        .set(auth)
        .send({ role: 'instructor' })
        .expect(200);
    }
    const { setId } = await createSet(url, 2, { pacing: 'instructor' }, 30, {
      'X-API-Key': owner.key,
    });
    const runId = (
      await request(url)
        .post(`/api/question-sets/${setId}/runs`)
        .set('X-API-Key', owner.key)
        .send({ meeting_id: meetingId })
        .expect(201)
    ).body.id as string;

    const mine = await signIn(owner.key);
    expect((await mine.get(`/console/runs/${runId}`)).status).toBe(200);

    const theirs = await signIn(other.key);
    const page = await theirs.get(`/console/runs/${runId}`);
    expect(page.status).toBe(404);
    expect(page.text).toContain('Not found');
    const room = await theirs.get(`/console/meetings/${meetingId}`);
    expect(room.status).toBe(200);
    // The meeting's broadcasts are the meeting's; its runs list holds only the viewer's runs.
    expect(room.text).not.toContain('Runs in this meeting');
    expect(room.text).not.toContain(`value="${setId}"`);
    const csrf = csrfOf(room);
    const next = await theirs.post(`/console/runs/${runId}/next`, {
      _csrf: csrf,
      current_index: '0',
    });
    expect(next.status).toBe(404);
    const end = await theirs.post(`/console/runs/${runId}/end`, { _csrf: csrf });
    expect(end.status).toBe(404);
    // Starting their set from the room: not found either.
    const start = await theirs.post(`/console/meetings/${meetingId}/runs`, {
      _csrf: csrf,
      set_id: setId,
    });
    expect(start.status).toBe(404);
    const after = await request(url).get(`/api/runs/${runId}`).set(auth).expect(200);
    expect(after.body).toMatchObject({ state: 'running', current_question: { index: 0 } });
  });
});
