/**
 * The console's question bank with every question type (issue 15), as a browser without
 * JavaScript uses it: the form shows every type's part, and only the chosen type's is read.
 */
import request from 'supertest';
import { TEST_API_KEY } from './utils/test-app';
import { startZoomWorld, type ZoomWorld } from './utils/zoom-world';

const auth = { 'X-API-Key': TEST_API_KEY };

/** A cookie jar for one site: enough for the session and sign-in cookies. */
class Browser {
  private readonly cookies = new Map<string, string>();
  constructor(private readonly url: string) {}
  private keep(res: request.Response): request.Response {
    for (const cookie of (res.headers['set-cookie'] as unknown as string[] | undefined) ?? []) {
      const [name, value] = cookie.split(';')[0].split('=');
      this.cookies.set(name, value);
    }
    return res;
  }
  private header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  async get(path: string): Promise<request.Response> {
    return this.keep(await request(this.url).get(path).set('cookie', this.header()));
  }
  async post(path: string, form: Record<string, string>): Promise<request.Response> {
    return this.keep(
      await request(this.url)
        .post(path)
        .set({ cookie: this.header(), origin: new URL(this.url).origin })
        .type('application/x-www-form-urlencoded')
        .send(new URLSearchParams(form).toString()),
    );
  }
}

/** Every type's part filled in, as a form without JavaScript posts it. */
const EVERY_PART = {
  title: 'Form',
  question_text: 'From the form?',
  options: 'Red\nGreen\nBlue',
  correct_answer: '2',
  correct_answers: '1, 3',
  max_choices: '2',
  true_false: 'false',
  scale_min: '0',
  scale_max: '10',
  min_label: 'Never',
  max_label: '',
  correct_value: '3,5',
  tolerance: '0.5',
  unit: 'km',
  accepted_answers: 'Paris\nLutèce',
  max_length: '80',
  correct_order: '3, 1, 2',
  time_limit: '45',
  points: '20',
  difficulty: 'easy',
  category: 'forms',
  tags: 'a, b',
};

const EXPECTED: Array<[string, Record<string, unknown>, string]> = [
  ['single', { options: ['Red', 'Green', 'Blue'], correct_answer: 1 }, 'B. Green'],
  [
    'multiple',
    { options: ['Red', 'Green', 'Blue'], correct_answers: [0, 2], max_choices: 2 },
    'A. Red, C. Blue',
  ],
  ['true_false', { options: ['True', 'False'], correct_answer: 1 }, 'B. False'],
  ['rating', { scale: { min: 0, max: 10, min_label: 'Never', max_label: null } }, 'Survey'],
  ['numeric', { correct_value: 3.5, tolerance: 0.5, unit: 'km' }, '3.5 km (± 0.5)'],
  ['text', { accepted_answers: ['Paris', 'Lutèce'], max_length: 80 }, 'Paris / Lutèce'],
  ['ranking', { options: ['Red', 'Green', 'Blue'], correct_order: [2, 0, 1] }, '1. C, 2. A, 3. B'],
];

describe('Console question bank: every question type (e2e, no JavaScript)', () => {
  let world: ZoomWorld;
  let url: string;
  let browser: Browser;
  let csrf: string;

  beforeAll(async () => {
    // The console's own tests run it this way (test/console.e2e-spec.ts).
    world = await startZoomWorld();
    url = world.app.url;
    browser = new Browser(url);
    const form = await browser.get('/console');
    const token = /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1] ?? '';
    expect(
      (await browser.post('/console/session', { api_key: TEST_API_KEY, _csrf: token })).status,
    ).toBe(303);
    const page = await browser.get('/console/questions/new');
    csrf = /<meta name="csrf-token" content="([^"]*)"/.exec(page.text)?.[1] ?? '';
  });
  afterAll(async () => world?.close());

  it('the new-question form has a type selector and a part per type, all shown without JavaScript', async () => {
    const page = await browser.get('/console/questions/new');
    expect(page.text).toContain('<select id="type" name="type"');
    for (const type of [
      'single',
      'multiple',
      'true_false',
      'rating',
      'numeric',
      'text',
      'ranking',
    ]) {
      expect(page.text).toContain(`<option value="${type}"`);
    }
    expect(page.text.match(/<fieldset class="type-fields"/g)).toHaveLength(8);
    expect(page.text).not.toMatch(/<fieldset[^>]*hidden/);
  });

  it.each(EXPECTED)(
    'creates a %s question, reading only its part; lists and edits it',
    async (...[type, fields, right]) => {
      const created = await browser.post('/console/questions', {
        _csrf: csrf,
        ...EVERY_PART,
        type,
        title: `Form ${type}`,
      });
      expect(created.status).toBe(303);
      const list = await browser.get(`/console/questions?q=${encodeURIComponent(`Form ${type}`)}`);
      const id = /\/console\/questions\/([0-9a-f]{24})\/edit/.exec(list.text)?.[1] ?? '';
      const api = await request(url).get(`/api/questions/${id}`).set(auth).expect(200);
      expect(api.body).toMatchObject({
        type,
        ...fields,
        time_limit: 45,
        points: 20,
        tags: ['a', 'b'],
      });
      expect(list.text).toContain(right);

      // The edit form shows it as stored; saving it unchanged stores the same question.
      const edit = await browser.get(`/console/questions/${id}/edit`);
      expect(edit.text).toMatch(new RegExp(`<option value="${type}"\\s+selected`));
      const values: Record<string, string> = { _csrf: csrf };
      for (const m of edit.text.matchAll(
        /<input\s+id="(\w+)"\s+name="\w+"[^>]*?value="([^"]*)"/g,
      )) {
        values[m[1]] = m[2].replace(/&#39;/g, "'").replace(/&amp;/g, '&');
      }
      for (const m of edit.text.matchAll(/<textarea\s+id="(\w+)"[^>]*>\n?([^<]*)<\/textarea/g)) {
        values[m[1]] = m[2];
      }
      for (const m of edit.text.matchAll(/<select id="(\w+)"[\s\S]*?<\/select>/g)) {
        values[m[1]] = /<option\s+value="([^"]*)"\s+selected/.exec(m[0])?.[1] ?? '';
      }
      const saved = await browser.post(`/console/questions/${id}`, values);
      expect(saved.status).toBe(303);
      const again = await request(url).get(`/api/questions/${id}`).set(auth).expect(200);
      expect({ ...again.body, updated_at: null }).toEqual({ ...api.body, updated_at: null });
    },
  );

  it('a refused form names the bad field of the chosen type and keeps what was typed', async () => {
    const rating = await browser.post('/console/questions', {
      _csrf: csrf,
      type: 'rating',
      title: 'Bad rating',
      question_text: 'Rate?',
      scale_min: '5',
      scale_max: '1',
    });
    expect(rating.status).toBe(400);
    expect(rating.text).toContain('id="scale_max_error"');
    expect(rating.text).toMatch(/<option value="rating"\s+selected/);
    const multiple = await browser.post('/console/questions', {
      _csrf: csrf,
      type: 'multiple',
      title: 'Bad multiple',
      question_text: 'Which?',
      options: 'A\nB',
      correct_answers: '1, 5',
    });
    expect(multiple.status).toBe(400);
    expect(multiple.text).toMatch(
      /id="correct_answers_error">Each correct choice must be the number of one of the options</,
    );
    const order = await browser.post('/console/questions', {
      _csrf: csrf,
      type: 'ranking',
      title: 'Bad ranking',
      question_text: 'Order?',
      options: 'A\nB\nC',
      correct_order: '1, 2',
    });
    expect(order.status).toBe(400);
    expect(order.text).toContain('id="correct_order_error"');
    expect(order.text).toContain('value="1, 2"');
  });
});
