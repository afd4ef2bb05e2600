/**
 * The instructor console over HTTP, as a browser without JavaScript uses it: signing in with a
 * key (session cookie, CSRF), the session on /api routes, the question bank's forms, sending,
 * close, reveal, remind, and signing out. The browser tests (test/browser/console.e2e-spec.ts)
 * run the live parts in Chromium.
 */
import { getModelToken } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import http from 'node:http';
import request from 'supertest';
import { ConsoleSession } from '../src/console/schemas/console-session.schema';
import { createInstructor } from './utils/instructors';
import { createTestApp, TEST_API_KEY, type TestApp } from './utils/test-app';
import { waitUntil } from './utils/wait';
import { seedMeeting, simulatorEnv, startZoomWorld, type ZoomWorld } from './utils/zoom-world';

jest.setTimeout(60_000);

const auth = { 'X-API-Key': TEST_API_KEY };
const FORM = 'application/x-www-form-urlencoded';

/** A browser's cookie jar for one site, enough for these cookies (no paths, no expiry). */
class Browser {
  readonly cookies = new Map<string, string>();
  constructor(readonly url: string) {}
  get origin(): string {
    return new URL(this.url).origin;
  }
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
  async post(
    path: string,
    form: Record<string, string>,
    headers: Record<string, string> = { origin: this.origin },
  ): Promise<request.Response> {
    return this.keep(
      await request(this.url)
        .post(path)
        .set({ cookie: this.header(), ...headers })
        .type(FORM)
        .send(new URLSearchParams(form).toString()),
    );
  }
  /** The CSRF token of the page last fetched (the meta tag). */
  static csrfOf(res: request.Response): string {
    return /<meta name="csrf-token" content="([^"]*)"/.exec(res.text)?.[1] ?? '';
  }
}

describe('Instructor console (e2e, no JavaScript)', () => {
  let world: ZoomWorld;
  let url: string;

  beforeAll(async () => {
    world = await startZoomWorld();
    url = world.app.url;
  });
  afterAll(async () => world?.close());

  async function signIn(key = TEST_API_KEY): Promise<{ browser: Browser; csrf: string }> {
    const browser = new Browser(url);
    const form = await browser.get('/console');
    expect(form.status).toBe(200);
    const token = /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1] ?? '';
    const res = await browser.post('/console/session', { api_key: key, _csrf: token });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/console/questions');
    const page = await browser.get('/console/questions');
    expect(page.status).toBe(200);
    return { browser, csrf: Browser.csrfOf(page) };
  }

  it('signs in with a key: an HttpOnly SameSite=Strict session cookie, the key stored nowhere', async () => {
    const browser = new Browser(url);
    const form = await browser.get('/console');
    expect(form.text).toContain('name="api_key"');
    expect(form.headers['cache-control']).toBe('no-store');
    expect(form.headers['content-security-policy']).toContain("script-src 'self'");
    const token = /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1] ?? '';
    const res = await browser.post('/console/session', { api_key: TEST_API_KEY, _csrf: token });
    expect(res.status).toBe(303);
    const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) =>
      c.startsWith('zlq_console='),
    );
    expect(cookie).toMatch(/; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/);
    // Plain http (the test's BASE_URL): no Secure, which the browser would refuse to send back.
    expect(cookie).not.toContain('Secure');
    const sessions: Model<ConsoleSession> = world.app.app.get(getModelToken(ConsoleSession.name));
    const stored = await sessions.find().lean();
    const raw = JSON.stringify(stored);
    expect(raw).not.toContain(TEST_API_KEY);
    expect(raw).not.toContain(browser.cookies.get('zlq_console'));
    expect(stored.at(-1)?.absolute_expires_at.getTime()).toBeLessThanOrEqual(
      Date.now() + 12 * 3600 * 1000,
    );
  });

  it('refuses a wrong key, a sign-in without the form token, and a cross-origin sign-in', async () => {
    const browser = new Browser(url);
    const form = await browser.get('/console');
    const token = /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1] ?? '';
    const wrong = await browser.post('/console/session', { api_key: 'nope', _csrf: token });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('not valid');
    const noToken = await browser.post('/console/session', { api_key: TEST_API_KEY });
    expect(noToken.status).toBe(403);
    const cross = await browser.post(
      '/console/session',
      { api_key: TEST_API_KEY, _csrf: token },
      { origin: 'https://evil.example' },
    );
    expect(cross.status).toBe(403);
    expect(browser.cookies.has('zlq_console')).toBe(false);
  });

  it('without a session a page redirects to the sign-in form, and returns after it', async () => {
    const res = await request(url).get('/console/meetings').expect(303);
    expect(res.headers.location).toBe('/console?next=%2Fconsole%2Fmeetings');
    // Never to another site.
    const browser = new Browser(url);
    const form = await browser.get('/console?next=//evil.example/x');
    const token = /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1] ?? '';
    const res2 = await browser.post('/console/session', {
      api_key: TEST_API_KEY,
      _csrf: token,
      next: '//evil.example/x',
    });
    expect(res2.headers.location).toBe('/console/questions');
  });

  it('the session works on /api from the same origin; a state change needs the CSRF token', async () => {
    const { browser, csrf } = await signIn();
    const cookie = browser.header();
    await request(url).get('/api/questions').set('cookie', cookie).expect(200);
    const body = { title: 'T', question_text: 'Q?', options: ['a', 'b'] };
    // No token: 403, even from this origin.
    await request(url)
      .post('/api/questions')
      .set({ cookie, origin: browser.origin })
      .send(body)
      .expect(403);
    // Another site's page, with the cookie and even the token: 403.
    await request(url)
      .post('/api/questions')
      .set({ cookie, origin: 'https://evil.example', 'x-csrf-token': csrf })
      .send(body)
      .expect(403);
    await request(url)
      .post('/api/questions')
      .set({ cookie, origin: browser.origin, 'x-csrf-token': csrf })
      .send(body)
      .expect(201);
    // A console form post with the token but from another origin: 403 too.
    const cross = await browser.post(
      '/console/questions',
      { _csrf: csrf, title: 'x' },
      { origin: 'https://evil.example' },
    );
    expect(cross.status).toBe(403);
  });

  it('the question bank: create with inline errors, search, edit, delete with confirmation', async () => {
    const { browser, csrf } = await signIn();
    const bad = await browser.post('/console/questions', {
      _csrf: csrf,
      title: '',
      question_text: 'Which?',
      options: 'Only one',
      correct_answer: '3',
      time_limit: '2',
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/id="title_error"/);
    expect(bad.text).toMatch(/id="options_error"/);
    expect(bad.text).toMatch(/id="time_limit_error"/);
    expect(bad.text.replace(/\s+/g, ' ')).toContain(
      'name="title" type="text" value="" aria-describedby="title_error" aria-invalid="true"',
    );
    // What was typed comes back.
    expect(bad.text).toContain('Only one');

    const created = await browser.post('/console/questions', {
      _csrf: csrf,
      title: 'Console <b>capital</b>',
      question_text: 'Capital of France?',
      options: 'Berlin\nParis\nRome',
      correct_answer: '2',
      time_limit: '60',
      points: '100',
      difficulty: 'easy',
      category: 'geo',
      tags: 'europe, cities',
    });
    expect(created.status).toBe(303);
    const list = await browser.get('/console/questions?q=console');
    expect(list.text).toContain('Console &lt;b&gt;capital&lt;/b&gt;');
    const landing = await browser.get(created.headers.location);
    expect(landing.text).toContain('Question created.');
    const id = /\/console\/questions\/([0-9a-f]{24})\/edit/.exec(list.text)?.[1] ?? '';
    const api = await request(url).get(`/api/questions/${id}`).set(auth).expect(200);
    expect(api.body).toMatchObject({
      options: ['Berlin', 'Paris', 'Rome'],
      correct_answer: 1,
      tags: ['europe', 'cities'],
    });

    const edit = await browser.get(`/console/questions/${id}/edit`);
    expect(edit.text).toContain('Berlin\nParis\nRome');
    const saved = await browser.post(`/console/questions/${id}`, {
      _csrf: csrf,
      title: 'Renamed',
      question_text: 'Capital of France?',
      options: 'Berlin\nParis',
      correct_answer: '2',
    });
    expect(saved.status).toBe(303);
    expect((await request(url).get(`/api/questions/${id}`).set(auth)).body.title).toBe('Renamed');

    const confirm = await browser.get(`/console/questions/${id}/delete`);
    expect(confirm.text).toContain('Delete “Renamed”?');
    const deleted = await browser.post(`/console/questions/${id}/delete`, { _csrf: csrf });
    expect(deleted.status).toBe(303);
    await request(url).get(`/api/questions/${id}`).set(auth).expect(404);
  });

  it('meetings, the live room, sending, remind, close and reveal, all as plain forms', async () => {
    const { browser, csrf } = await signIn();
    const { meetingId } = await seedMeeting(world.sim, { members: 3, guests: 1 });
    const qid = (
      await request(url)
        .post('/api/questions')
        .set(auth)
        .send({
          title: 'Room quiz',
          question_text: 'Capital?',
          options: ['Berlin', 'Paris'],
          correct_answer: 1,
          time_limit: 120,
        })
        .expect(201)
    ).body.id as string;

    const meetings = await browser.get('/console/meetings');
    expect(meetings.text).toContain(`/console/meetings/${meetingId}`);
    expect(meetings.text).toMatch(/guest/i);
    const room = await browser.get(`/console/meetings/${meetingId}`);
    expect(room.text).toContain('Present now: 4 (3 reachable)');
    expect(room.text).toContain(`value="${qid}"`);

    const sent = await browser.post(`/console/meetings/${meetingId}/send`, {
      _csrf: csrf,
      question_id: qid,
      mode: 'direct',
    });
    expect(sent.status).toBe(303);
    const broadcastId = /\/console\/broadcasts\/([0-9a-f]{24})/.exec(sent.headers.location)?.[1];
    // Sending again while it is open: the room again, with the reason.
    const again = await browser.post(`/console/meetings/${meetingId}/send`, {
      _csrf: csrf,
      question_id: qid,
      mode: 'direct',
    });
    expect(again.status).toBe(409);
    expect(again.text).toContain('still open');

    await waitUntil(
      async () =>
        (await request(url).get(`/api/broadcasts/${broadcastId}`).set(auth)).body.status ===
        'completed',
      20_000,
      'the send to finish',
    );
    const results = await browser.get(`/console/broadcasts/${broadcastId}`);
    expect(results.text).toContain('Room quiz');
    expect(results.text).toContain('Team Chat cannot reach them');

    const before = world.sim.messages().length;
    const remind = await browser.post(`/console/broadcasts/${broadcastId}/remind`, {
      _csrf: csrf,
    });
    expect(remind.headers.location).toContain('done=reminded&n=3');
    await waitUntil(() => world.sim.messages().length === before + 3, 20_000, 'the reminders');

    const close = await browser.post(`/console/broadcasts/${broadcastId}/close`, { _csrf: csrf });
    expect(close.status).toBe(303);
    const reveal = await browser.post(`/console/broadcasts/${broadcastId}/reveal`, {
      _csrf: csrf,
    });
    expect(reveal.status).toBe(303);
    const after = await request(url)
      .get(`/api/broadcasts/${broadcastId}/results`)
      .set(auth)
      .expect(200);
    expect(after.body).toMatchObject({ open: false, revealed: true });
    const present = await browser.get(`/console/broadcasts/${broadcastId}/present`);
    expect(present.status).toBe(200);
    expect(present.text).toContain('chart-figure revealed');
    expect(present.text).toContain('Show names');
  });

  it('signing out ends the session at once: pages, API and stream refuse the old cookie', async () => {
    const { browser, csrf } = await signIn();
    const old = browser.header();
    const out = await browser.post('/console/logout', { _csrf: csrf });
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/console');
    await request(url).get('/api/questions').set('cookie', old).expect(401);
    await request(url).get('/console/questions').set('cookie', old).expect(303);
    const stream = await request(url)
      .get('/api/broadcasts/0123456789abcdef01234567/stream')
      .set('cookie', old);
    expect(stream.status).toBe(401);
  });

  /** Opens the live stream with a cookie; resolves `ended` when the server ends it. */
  async function openStream(
    base: string,
    broadcastId: string,
    cookie: string,
  ): Promise<{ status: number; ended: Promise<void>; close(): void }> {
    const req = http.get(`${base}/api/broadcasts/${broadcastId}/stream`, { headers: { cookie } });
    const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
      req.on('response', resolve);
      req.on('error', reject);
    });
    response.resume();
    const ended = new Promise<void>((resolve) => response.on('end', () => resolve()));
    return { status: response.statusCode ?? 0, ended, close: () => req.destroy() };
  }

  async function aBroadcast(grantTo?: string): Promise<string> {
    const { meetingId } = await seedMeeting(world.sim, { members: 1 });
    if (grantTo) {
      // The stream is the meeting's data: the instructor must be granted the meeting.
      await request(url)
        .put(`/api/meetings/${meetingId}/instructors/${grantTo}`)
        .set(auth)
        .send({ role: 'assistant' })
        .expect(200);
    }
    const qid = (
      await request(url)
        .post('/api/questions')
        .set(auth)
        .send({ title: 'S', question_text: 'S?', options: ['a', 'b'], correct_answer: 0 })
        .expect(201)
    ).body.id as string;
    return (
      await request(url)
        .post(`/api/questions/${qid}/send`)
        .set(auth)
        .send({ meeting_id: meetingId })
        .expect(202)
    ).body.id as string;
  }

  it('signing out also ends a live stream already open with the cookie', async () => {
    const id = await aBroadcast();
    const { browser, csrf } = await signIn();
    const stream = await openStream(url, id, browser.header());
    expect(stream.status).toBe(200);
    try {
      await browser.post('/console/logout', { _csrf: csrf });
      await stream.ended;
    } finally {
      stream.close();
    }
  });

  describe('an instructor key, revoked on another instance', () => {
    let other: TestApp;
    beforeAll(async () => {
      other = await createTestApp({
        env: { ...simulatorEnv(world.sim), MONGO_URI: world.app.config.mongoUri },
      });
    });
    afterAll(async () => other?.close());

    it('ends the sessions opened with it, on the API and the open stream', async () => {
      const instructor = await createInstructor(world.app, { role: 'instructor' });
      const id = await aBroadcast(instructor.id);
      const { browser } = await signIn(instructor.key);
      const cookie = browser.header();
      await request(url).get('/api/questions').set('cookie', cookie).expect(200);
      const stream = await openStream(url, id, cookie);
      expect(stream.status).toBe(200);
      try {
        await request(other.url)
          .delete(`/api/instructors/${instructor.id}/api-keys/${instructor.keyId}`)
          .set(auth)
          .expect(204);
        // Another instance revoked it: refused here once the caches (1 s + 2 s) have lapsed.
        await waitUntil(
          async () =>
            (await request(url).get('/api/questions').set('cookie', cookie)).status === 401,
          10_000,
          'the session to be refused',
        );
        await stream.ended;
        expect((await browser.get('/console/questions')).status).toBe(303);
      } finally {
        stream.close();
      }
    });
  });
});
