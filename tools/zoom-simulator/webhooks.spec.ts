import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  isValidUrlValidationResponse,
  startZoomSimulator,
  urlValidationAnswer,
  type ZoomSimulator,
} from './index';

interface Received {
  headers: IncomingHttpHeaders;
  raw: string;
  body: { event: string; event_ts: number; payload: ReturnType<typeof JSON.parse> };
}

/** A bare webhook endpoint: records raw bytes and headers; answers url_validation correctly. */
async function startReceiver(
  secret: string,
): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const body = JSON.parse(raw);
      received.push({ headers: req.headers, raw, body });
      if (body.event === 'endpoint.url_validation') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(urlValidationAnswer(secret, body.payload.plainToken)));
        return;
      }
      res.writeHead(204);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Computed here with node:crypto, independently of the simulator's code (docs/zoom.md §3). */
function expectedSignature(secret: string, ts: string, raw: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${ts}:${raw}`).digest('hex')}`;
}

describe('Zoom simulator: webhooks', () => {
  let sim: ZoomSimulator;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeEach(async () => {
    sim = await startZoomSimulator({ seed: 1234 });
    receiver = await startReceiver(sim.webhookSecretToken);
  });
  afterEach(async () => {
    await sim.close();
    await receiver.close();
  });

  it('signs v0=HMAC_SHA256(secret, "v0:ts:body") over the raw body', () => {
    const raw = '{"event":"meeting.started","payload":{"a":"é"}}';
    const headers = sim.sign(raw, 1_700_000_000);
    expect(headers['x-zm-request-timestamp']).toBe('1700000000');
    expect(headers['x-zm-signature']).toBe(
      expectedSignature('sim-webhook-secret', '1700000000', raw),
    );
    expect(headers['x-zm-trackingid']).toMatch(/^v=2\.0;clid=\w+;rid=WEBHOOK_[0-9a-f]+$/);
  });

  it('emits Zoom-shaped, signed events in order for start, join, leave and end', async () => {
    sim.setWebhookTarget(receiver.url);
    const member = sim.addUser({ email: 'ann@example.com', name: 'Ann' });
    const m = sim.createMeeting({ topic: 'Maths' });
    const { uuid } = sim.startMeeting(m.id);
    const ann = sim.join(m.id, { name: 'Ann', email: 'ann@example.com' });
    const guest = sim.join(m.id, { name: 'Guest', zoomUserId: '' });
    sim.leave(m.id, ann.participant_uuid);
    sim.endMeeting(m.id);
    await sim.flushWebhooks();

    const events = receiver.received.map((r) => r.body.event);
    expect(events).toEqual([
      'meeting.started',
      'meeting.participant_joined',
      'meeting.participant_joined',
      'meeting.participant_left',
      'meeting.participant_left',
      'meeting.ended',
    ]);
    const ts = receiver.received.map((r) => r.body.event_ts);
    expect([...ts].sort((a, b) => a - b)).toEqual(ts);
    expect(new Set(ts).size).toBe(ts.length);

    for (const r of receiver.received) {
      const stamp = r.headers['x-zm-request-timestamp'] as string;
      expect(Math.abs(Number(stamp) - Date.now() / 1000)).toBeLessThan(5);
      expect(r.headers['x-zm-signature']).toBe(
        expectedSignature(sim.webhookSecretToken, stamp, r.raw),
      );
      expect(r.headers['x-zm-trackingid']).toBeTruthy();
      expect(r.headers['content-type']).toMatch(/^application\/json/);
      expect(r.headers['user-agent']).toBe('Zoom Marketplace/1.0a');
      expect(r.body.payload.account_id).toBe(sim.accountId);
      expect(r.body.payload.object).toMatchObject({
        id: String(m.id),
        uuid,
        host_id: m.host_id,
        topic: 'Maths',
        type: 2,
        start_time: expect.any(String),
        duration: expect.any(Number),
      });
    }
    const [, joined, guestJoined, left, guestLeft, ended] = receiver.received.map(
      (r) => r.body.payload.object,
    );
    expect(joined.participant).toEqual({
      user_id: ann.user_id,
      user_name: 'Ann',
      id: member.id,
      participant_uuid: ann.participant_uuid,
      join_time: ann.join_time,
      email: 'ann@example.com',
      participant_user_id: member.id,
    });
    expect(guestJoined.participant).toMatchObject({
      id: '',
      participant_user_id: '',
      email: '',
      user_id: guest.user_id,
    });
    expect(left.participant).toMatchObject({
      user_id: ann.user_id,
      leave_time: expect.any(String),
      leave_reason: 'Ann left the meeting.',
    });
    expect(left.participant).not.toHaveProperty('join_time');
    expect(guestLeft.participant).toMatchObject({
      user_id: guest.user_id,
      leave_reason: 'Host ended the meeting.',
    });
    expect(ended.end_time).toEqual(expect.any(String));
    expect(sim.webhookDeliveries().every((d) => d.status === 204 && !d.duplicate)).toBe(true);
  });

  it('starts a new occurrence UUID after an end', () => {
    const m = sim.createMeeting();
    const first = sim.startMeeting(m.id).uuid;
    expect(sim.startMeeting(m.id).uuid).toBe(first);
    sim.endMeeting(m.id);
    expect(sim.startMeeting(m.id).uuid).not.toBe(first);
  });

  it('emits the webinar.* twins for a webinar', async () => {
    sim.setWebhookTarget(receiver.url);
    const w = sim.createMeeting({ webinar: true });
    sim.join(w.id, { name: 'Viewer', email: 'v@example.com', registrantId: 'reg-1' });
    await sim.flushWebhooks();
    expect(receiver.received.map((r) => r.body.event)).toEqual([
      'webinar.started',
      'webinar.participant_joined',
    ]);
    expect(receiver.received[1].body.payload.object).toMatchObject({
      type: 5,
      participant: { registrant_id: 'reg-1', email: 'v@example.com' },
    });
  });

  it('emits the waiting-room events with date_time, and leaves from it as left_waiting_room', async () => {
    sim.setWebhookTarget(receiver.url);
    const m = sim.createMeeting();
    const p = sim.joinWaitingRoom(m.id, { name: 'Wendy', email: 'w@example.com' });
    sim.admit(m.id, p.participant_uuid);
    sim.putInWaitingRoom(m.id, p.participant_uuid);
    sim.leave(m.id, p.user_id);
    await sim.flushWebhooks();
    expect(receiver.received.map((r) => r.body.event)).toEqual([
      'meeting.started',
      'meeting.participant_joined_waiting_room',
      'meeting.participant_admitted',
      'meeting.participant_joined',
      'meeting.participant_left_waiting_room',
      'meeting.participant_put_in_waiting_room',
      'meeting.participant_left_waiting_room',
    ]);
    for (const i of [1, 2, 4, 5, 6]) {
      const participant = receiver.received[i].body.payload.object.participant;
      expect(participant).toMatchObject({
        user_id: p.user_id,
        participant_uuid: p.participant_uuid,
        email: 'w@example.com',
        date_time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      });
      expect(participant).not.toHaveProperty('join_time');
      expect(participant).not.toHaveProperty('leave_time');
    }
    expect(() => sim.admit(m.id, p.participant_uuid)).toThrow(/No participant/);
  });

  it('delivers duplicates when asked, with identical bodies', async () => {
    sim.setWebhookTarget(receiver.url, { duplicateRatio: 1 });
    const m = sim.createMeeting();
    sim.join(m.id, { name: 'A' });
    await sim.flushWebhooks();
    const raws = receiver.received.map((r) => r.raw);
    expect(raws).toHaveLength(4);
    expect(raws[0]).toBe(raws[1]);
    expect(raws[2]).toBe(raws[3]);
    expect(sim.webhookDeliveries().filter((d) => d.duplicate)).toHaveLength(2);
  });

  it('shuffles within the window, the same way for the same seed', async () => {
    const order = async (seed: number): Promise<string[]> => {
      const s = await startZoomSimulator({ seed });
      const r = await startReceiver(s.webhookSecretToken);
      const m = s.createMeeting();
      s.startMeeting(m.id);
      s.setWebhookTarget(r.url, { shuffleWindow: 10 });
      for (let i = 0; i < 20; i++) s.join(m.id, { name: `P${i}` });
      await s.flushWebhooks();
      const names = r.received.map((x) => x.body.payload.object.participant.user_name as string);
      await s.close();
      await r.close();
      return names;
    };
    const a = await order(7);
    const emitted = Array.from({ length: 20 }, (_, i) => `P${i}`);
    expect([...a].sort()).toEqual([...emitted].sort());
    expect(a).not.toEqual(emitted);
    // Shuffled only within windows of 10: the first ten arrive before the last ten.
    expect(a.slice(0, 10).sort()).toEqual(emitted.slice(0, 10).sort());
    expect(await order(7)).toEqual(a);
  });

  it('delivers concurrently when asked, every event once', async () => {
    const m = sim.createMeeting();
    sim.startMeeting(m.id);
    sim.setWebhookTarget(receiver.url, { concurrency: 8 });
    for (let i = 0; i < 40; i++) sim.join(m.id, { name: `P${i}` });
    await sim.flushWebhooks();
    const names = receiver.received.map(
      (x) => x.body.payload.object.participant.user_name as string,
    );
    expect(names.sort()).toEqual(Array.from({ length: 40 }, (_, i) => `P${i}`).sort());
    const deliveries = sim.webhookDeliveries();
    // Overlap: some delivery started before the previous one was answered.
    const overlapped = deliveries.some(
      (d, i) => i > 0 && d.at < deliveries[i - 1].at + deliveries[i - 1].ms,
    );
    expect(overlapped).toBe(true);
  });

  it('counts a target silent for 3 s as failed (status 0), as Zoom does', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`;
    const result = await sim.sendWebhook(url, { event: 'meeting.started' });
    expect(result.status).toBe(0);
    expect(result.ms).toBeGreaterThanOrEqual(2900);
    silent.closeAllConnections();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it('sends endpoint.url_validation and checks the answer', async () => {
    const body = sim.webhookPayload('endpoint.url_validation', undefined, undefined, {
      plainToken: 'qgg8vlvZRS6UYooatFL8Aw',
    });
    expect(body).toEqual({
      event: 'endpoint.url_validation',
      event_ts: expect.any(Number),
      payload: { plainToken: 'qgg8vlvZRS6UYooatFL8Aw' },
    });
    const res = await sim.sendWebhook(receiver.url, body);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({
      plainToken: 'qgg8vlvZRS6UYooatFL8Aw',
      encryptedToken: createHmac('sha256', sim.webhookSecretToken)
        .update('qgg8vlvZRS6UYooatFL8Aw')
        .digest('hex'),
    });
    expect(
      isValidUrlValidationResponse(sim.webhookSecretToken, 'qgg8vlvZRS6UYooatFL8Aw', res.body),
    ).toBe(true);
    expect(isValidUrlValidationResponse('other', 'qgg8vlvZRS6UYooatFL8Aw', res.body)).toBe(false);
  });

  it('sendWebhook signs the exact string given, with a chosen timestamp and secret', async () => {
    const m = sim.createMeeting();
    sim.startMeeting(m.id);
    const p = sim.join(m.id, { name: 'X' });
    const raw = JSON.stringify(sim.webhookPayload('meeting.participant_left', m.id, p), null, 2);
    await sim.sendWebhook(receiver.url, raw, { timestamp: 1_600_000_000, secret: 'old-secret' });
    const got = receiver.received[0];
    expect(got.raw).toBe(raw);
    expect(got.headers['x-zm-request-timestamp']).toBe('1600000000');
    expect(got.headers['x-zm-signature']).toBe(expectedSignature('old-secret', '1600000000', raw));
    expect(got.body.payload.object.participant).toMatchObject({
      user_id: p.user_id,
      leave_time: expect.any(String),
    });
  });

  it('records a delivery to a dead target as status 0', async () => {
    await receiver.close();
    receiver = await startReceiver(sim.webhookSecretToken);
    sim.setWebhookTarget('http://127.0.0.1:9/webhook');
    sim.createMeeting();
    sim.startMeeting(sim.meetings()[0].id);
    await sim.flushWebhooks();
    expect(sim.webhookDeliveries()).toEqual([
      expect.objectContaining({ event: 'meeting.started', status: 0 }),
    ]);
  });
  it('retries a failed delivery once per retryFailedWebhooks(), as Zoom retries, and not a delivered one', async () => {
    sim.setWebhookTarget('http://127.0.0.1:9/webhook');
    const m = sim.createMeeting();
    sim.startMeeting(m.id);
    await sim.flushWebhooks();
    sim.setWebhookTarget(receiver.url);
    expect(sim.retryFailedWebhooks()).toBe(1);
    await sim.flushWebhooks();
    expect(receiver.received.map((r) => r.body.event)).toEqual(['meeting.started']);
    expect(sim.webhookDeliveries().map((d) => d.status)).toEqual([0, 204]);
    expect(sim.retryFailedWebhooks()).toBe(0);
  });
});
