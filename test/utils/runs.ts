/**
 * Helpers for the runs e2e specs (issue 16): sets made through the API, a run read back, the
 * run's messages waited for, and the runs worker given a whole sweep.
 */
import request from 'supertest';
import { RunsWorker } from '../../src/runs/runs.worker';
import { TEST_API_KEY } from './test-app';
import { waitUntil } from './wait';
import type { ZoomWorld } from './zoom-world';

export const auth = { 'X-API-Key': TEST_API_KEY };

export async function createSet(
  url: string,
  count: number,
  settings: Record<string, unknown> = { pacing: 'instructor' },
  timeLimit = 30,
  headers: Record<string, string> = auth,
): Promise<{ setId: string; questionIds: string[] }> {
  const questionIds: string[] = [];
  for (let i = 0; i < count; i++) {
    const res = await request(url)
      .post('/api/questions')
      .set(headers)
      .send({
        title: `Question ${i + 1}`,
        question_text: `Which option is number ${i + 1}?`,
        options: ['One', 'Two', 'Three', 'Four', 'Five'],
        correct_answer: i,
        time_limit: timeLimit,
      })
      .expect(201);
    questionIds.push(res.body.id as string);
  }
  const set = await request(url)
    .post('/api/question-sets')
    .set(headers)
    .send({ title: 'Week 3 quiz', question_ids: questionIds, ...settings })
    .expect(201);
  return { setId: set.body.id as string, questionIds };
}

export async function getRun(url: string, id: string): Promise<request.Response> {
  return request(url).get(`/api/runs/${id}`).set(auth).expect(200);
}

/** Waits until the run broadcast has nothing pending or sending. */
export async function waitForMessages(url: string, runId: string): Promise<request.Response> {
  let last!: request.Response;
  await waitUntil(
    async () => {
      last = await getRun(url, runId);
      const c = last.body.counts.recipients;
      return c.total > 0 && c.pending + c.sending === 0;
    },
    60_000,
    'the run messages to be sent',
    200,
  );
  return last;
}

/**
 * Lets the app's runs worker finish a whole sweep that began after this call (a sweep already
 * under way may have looked before the caller's change): the point by which it has acted.
 */
export async function sweptAfterNow(world: Pick<ZoomWorld, 'app'>): Promise<void> {
  const worker = world.app.app.get(RunsWorker);
  await worker.sweep();
  await worker.sweep();
}

/** The run token in each run message (/r/{token}), by recipient. */
export function runLinks(world: Pick<ZoomWorld, 'sim'>): Map<string, string[]> {
  const links = new Map<string, string[]>();
  for (const m of world.sim.messages()) {
    const token = /\/r\/([A-Za-z0-9_-]+)/.exec(m.message)?.[1];
    const key = m.to_contact ?? '?';
    links.set(key, [...(links.get(key) ?? []), token ?? '(no run link)']);
  }
  return links;
}
