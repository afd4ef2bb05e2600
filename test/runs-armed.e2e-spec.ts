import request from 'supertest';
import { createInstructor, type CreatedInstructor } from './utils/instructors';
import { auth, createSet, getRun, sweptAfterNow, waitForMessages } from './utils/runs';
import { waitUntil } from './utils/wait';
import { messagesPerRecipient, startZoomWorld, type ZoomWorld } from './utils/zoom-world';

/**
 * Armed starts (issue 16, docs/architecture.md §27): a run that starts by itself when Zoom's
 * meeting.started (sent by the simulator to the app's webhook) has come and its delay passed;
 * disarming; runs and arms are their owner's (another instructor's: 404).
 */
describe('Runs armed for the meeting start, and whose runs are whose (e2e)', () => {
  let world: ZoomWorld;
  let host: CreatedInstructor;
  let other: CreatedInstructor;
  beforeAll(async () => {
    world = await startZoomWorld({ app: { env: { RUNS_SWEEP_INTERVAL_MS: '200' } } });
    host = await createInstructor(world.app, { role: 'instructor' });
    other = await createInstructor(world.app, { role: 'instructor' });
    world.sim.addUser({ email: host.email, name: 'Host' });
    world.sim.addUser({ email: other.email, name: 'Other' });
  });
  afterAll(async () => world.close());

  /** A meeting the host instructor hosts, not started yet, and `members` Team Chat contacts. */
  function newMeeting(members: number): { meetingId: string; join: () => Promise<void> } {
    const meeting = world.sim.createMeeting({ topic: 'Lesson', hostEmail: host.email });
    const meetingId = String(meeting.id);
    const people = Array.from({ length: members }, () => {
      const n = Math.random().toString(36).slice(2, 8);
      const user = world.sim.addUser({ email: `p-${n}@example.com`, name: `P ${n}` });
      return { name: `P ${n}`, email: user.email, zoomUserId: user.id };
    });
    return {
      meetingId,
      join: async () => {
        for (const p of people) world.sim.join(meetingId, p);
        await world.sim.flushWebhooks();
      },
    };
  }

  it('starts an armed run delay_seconds after the meeting starts, once, and reaches the people there', async () => {
    const { sim, app } = world;
    const as = { 'X-API-Key': host.key };
    const { meetingId, join } = newMeeting(4);
    const { setId } = await createSet(app.url, 3, { pacing: 'instructor' }, 30, as);

    const armed = await request(app.url)
      .post(`/api/question-sets/${setId}/runs`)
      .set(as)
      .send({ meeting_id: meetingId, start: 'on_meeting_start', delay_seconds: 1 })
      .expect(202);
    expect(armed.body).toMatchObject({
      set_id: setId,
      meeting_id: meetingId,
      delay_seconds: 1,
      state: 'armed',
      start_at: null,
      run_id: null,
    });
    // Nothing happens before the meeting starts.
    await sweptAfterNow(world);
    let listed = await request(app.url).get(`/api/meetings/${meetingId}/runs`).set(as).expect(200);
    expect(listed.body.items).toEqual([]);
    expect(listed.body.arms).toMatchObject([{ id: armed.body.id, state: 'armed' }]);

    const startedAt = Date.now();
    sim.startMeeting(meetingId);
    await join();
    await waitUntil(
      async () => {
        listed = await request(app.url).get(`/api/meetings/${meetingId}/runs`).set(as);
        // The run is written first, then the arm is marked started. The list reads the runs
        // before the arms, so one listing can show the arm started and the run still starting.
        return (
          listed.body.items?.length === 1 &&
          listed.body.items[0].state === 'running' &&
          listed.body.arms[0].state === 'started'
        );
      },
      30_000,
      'the armed run to start',
    );
    const run = listed.body.items[0];
    const arm = listed.body.arms[0];
    expect(arm).toMatchObject({ id: armed.body.id, state: 'started', run_id: run.id });
    expect(run).toMatchObject({ arm_id: armed.body.id, set_id: setId, state: 'running' });
    // Due one second after Zoom's start, and not started before it was due.
    expect(Date.parse(arm.start_at)).toBeGreaterThanOrEqual(startedAt + 1000);
    expect(Date.parse(run.started_at)).toBeGreaterThanOrEqual(Date.parse(arm.start_at));

    await waitForMessages(app.url, run.id as string);
    const perRecipient = messagesPerRecipient(sim);
    expect([...perRecipient.values()].every((n) => n === 1)).toBe(true);
    expect(perRecipient.size).toBe(4);
    // More sweeps start nothing more.
    await sweptAfterNow(world);
    listed = await request(app.url).get(`/api/meetings/${meetingId}/runs`).set(as).expect(200);
    expect(listed.body.items).toHaveLength(1);

    // A started arm cannot be disarmed: its run is ended instead.
    const late = await request(app.url)
      .delete(`/api/run-arms/${armed.body.id}`)
      .set(as)
      .expect(409);
    expect(late.body.message).toContain(run.id);
  }, 120_000);

  it('disarms: a disarmed start never starts; another instructor gets 404 for arms and runs', async () => {
    const { sim, app } = world;
    const as = { 'X-API-Key': host.key };
    const asOther = { 'X-API-Key': other.key };
    const { meetingId, join } = newMeeting(2);
    const { setId } = await createSet(app.url, 2, { pacing: 'instructor' }, 30, as);
    const armed = await request(app.url)
      .post(`/api/question-sets/${setId}/runs`)
      .set(as)
      .send({ meeting_id: meetingId, start: 'on_meeting_start' })
      .expect(202);
    await request(app.url).delete(`/api/run-arms/${armed.body.id}`).set(asOther).expect(404);
    await request(app.url).delete(`/api/run-arms/${armed.body.id}`).set(as).expect(204);
    await request(app.url).delete(`/api/run-arms/${armed.body.id}`).set(as).expect(204);

    sim.startMeeting(meetingId);
    await join();
    await sweptAfterNow(world);
    const listed = await request(app.url)
      .get(`/api/meetings/${meetingId}/runs`)
      .set(as)
      .expect(200);
    expect(listed.body.items).toEqual([]);
    expect(listed.body.arms).toMatchObject([{ id: armed.body.id, state: 'disarmed' }]);

    // Started now instead: the host's run; another instructor may not see or move it.
    const started = await request(app.url)
      .post(`/api/question-sets/${setId}/runs`)
      .set(as)
      .send({ meeting_id: meetingId })
      .expect(201);
    const runId = started.body.id as string;
    await request(app.url).get(`/api/runs/${runId}`).set(asOther).expect(404);
    await request(app.url).post(`/api/runs/${runId}/next`).set(asOther).send({}).expect(404);
    await request(app.url).post(`/api/runs/${runId}/end`).set(asOther).expect(404);
    // The admin (bootstrap key) sees it.
    expect((await getRun(app.url, runId)).body.id).toBe(runId);
    await request(app.url).post(`/api/runs/${runId}/end`).set(auth).expect(200);
    // Bad input is a clear 400.
    const bad = await request(app.url)
      .post(`/api/question-sets/${setId}/runs`)
      .set(as)
      .send({ meeting_id: meetingId, start: 'later', delay_seconds: 4000 })
      .expect(400);
    expect(JSON.stringify(bad.body)).toMatch(/start/);
    expect(JSON.stringify(bad.body)).toMatch(/delay_seconds/);
    const durationForInstructor = await request(app.url)
      .post(`/api/question-sets/${setId}/runs`)
      .set(as)
      .send({ meeting_id: meetingId, duration_seconds: 600 })
      .expect(400);
    expect(durationForInstructor.body.message).toMatch(/self-paced/);
  }, 120_000);
});
