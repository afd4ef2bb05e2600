/**
 * The zoom module against the Zoom simulator over real HTTP (no mocked HTTP): token handling,
 * retries, rate limiting and the Team Chat / meetings calls, as docs/zoom.md describes Zoom.
 */
import { startZoomSimulator, type ZoomSimulator } from '../tools/zoom-simulator';
import { ZOOM_CHAT_MESSAGE_MAX_LENGTH } from '../src/zoom/zoom-chat.service';
import {
  ZoomApiError,
  ZoomInvalidRequestError,
  ZoomOutcomeUnknownError,
} from '../src/zoom/zoom-api.error';
import {
  countPerRecipient,
  HARNESS_SENDER,
  startZoomHarness,
  ZoomHarness,
} from './utils/zoom-harness';

const FAST = { light: 1000, medium: 1000, heavy: 1000 };
const FAST_ENV = {
  ZOOM_RATE_LIMIT_LIGHT: '1000',
  ZOOM_RATE_LIMIT_MEDIUM: '1000',
  ZOOM_RATE_LIMIT_HEAVY: '1000',
  ZOOM_MAX_IN_FLIGHT: '100',
};

/** Team Chat posts (not the list reads that confirm them). */
function chatRequests(sim: ZoomSimulator) {
  return sim.requests().filter((r) => r.method === 'POST' && r.path.includes('/chat/users/'));
}

describe('Zoom client against the simulator (real HTTP)', () => {
  let sim: ZoomSimulator;
  let zoom: ZoomHarness | undefined;

  beforeAll(async () => {
    sim = await startZoomSimulator({ rateLimits: FAST, seed: 7 });
    sim.addUser({ email: HARNESS_SENDER, name: 'Quiz Host' });
    for (let i = 0; i < 200; i++)
      sim.addUser({ email: `student${i}@example.com`, name: `Student ${i}` });
  });
  afterAll(async () => {
    await sim.close();
  });
  afterEach(async () => {
    await zoom?.close();
    zoom = undefined;
    sim.reset();
  });

  const harness = async (env: Record<string, string> = {}) => {
    zoom = await startZoomHarness(sim, { ...FAST_ENV, ...env });
    return zoom;
  };

  describe('Server-to-Server OAuth token (docs/zoom.md §1)', () => {
    it('100 concurrent calls on a cold cache make one token request', async () => {
      const { chat } = await harness();
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          chat.sendMessage({ toContact: `student${i}@example.com` }, `hello ${i}`),
        ),
      );
      expect(new Set(results.map((r) => r.messageId)).size).toBe(100);
      expect(sim.tokenRequests()).toBe(1);
      expect(sim.messages()).toHaveLength(100);
    });

    it('reuses the cached token across calls', async () => {
      const { chat } = await harness();
      for (let i = 0; i < 5; i++)
        await chat.sendMessage({ toContact: 'student1@example.com' }, `m${i}`);
      expect(sim.tokenRequests()).toBe(1);
    });

    it('refreshes when 60 s or less remain, before Zoom would refuse the token', async () => {
      const { chat } = await harness();
      const realNow = Date.now.bind(Date);
      let offset = 0;
      // Date.now drives both the client's cache and the simulator's expiry (same process), so
      // "an hour later" is consistent on both sides without waiting an hour.
      const spy = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + offset);
      try {
        await chat.sendMessage({ toContact: 'student1@example.com' }, 'first');
        offset = 3600_000 - 61_000; // 61 s left: still used
        await chat.sendMessage({ toContact: 'student1@example.com' }, 'second');
        expect(sim.tokenRequests()).toBe(1);
        offset = 3600_000 - 59_000; // 59 s left: refreshed first
        await chat.sendMessage({ toContact: 'student1@example.com' }, 'third');
        expect(sim.tokenRequests()).toBe(2);
      } finally {
        spy.mockRestore();
      }
      expect(sim.requests().filter((r) => r.status === 401)).toHaveLength(0);
    });

    it('refreshes a short-lived token early (half its lifetime), never waiting for a 401', async () => {
      const shortSim = await startZoomSimulator({ rateLimits: FAST, tokenTtlSeconds: 2 });
      shortSim.addUser({ email: HARNESS_SENDER });
      shortSim.addUser({ email: 'student1@example.com' });
      const short = await startZoomHarness(shortSim, FAST_ENV);
      try {
        await short.chat.sendMessage({ toContact: 'student1@example.com' }, 'one');
        await new Promise((r) => setTimeout(r, 1200));
        await short.chat.sendMessage({ toContact: 'student1@example.com' }, 'two');
        expect(shortSim.tokenRequests()).toBe(2);
        expect(shortSim.requests().filter((r) => r.status === 401)).toHaveLength(0);
      } finally {
        await short.close();
        await shortSim.close();
      }
    });

    it('on 401 code 124 drops the token, refreshes once and retries once', async () => {
      const { chat } = await harness();
      await chat.sendMessage({ toContact: 'student1@example.com' }, 'before');
      sim.revokeTokens();
      // Many callers meeting the dead token still cause a single refresh.
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          chat.sendMessage({ toContact: `student${i}@example.com` }, `after ${i}`),
        ),
      );
      expect(sim.tokenRequests()).toBe(2);
      const statuses = chatRequests(sim).map((r) => r.status);
      const refused = statuses.filter((s) => s === 401).length;
      // Callers that had not yet sent when the refresh began use the new token directly.
      expect(refused).toBeGreaterThanOrEqual(1);
      expect(refused).toBeLessThanOrEqual(20);
      expect(statuses.filter((s) => s === 201)).toHaveLength(21);
      expect(statuses[1]).toBe(401);
      expect(sim.messages()).toHaveLength(21);
    });

    it('gives up after one refresh when Zoom keeps answering 401', async () => {
      // Tokens that are dead on arrival: the retry with the new token is refused too.
      const deadSim = await startZoomSimulator({ rateLimits: FAST, tokenTtlSeconds: 0 });
      const dead = await startZoomHarness(deadSim, FAST_ENV);
      try {
        const call = dead.http.request({
          method: 'GET',
          path: '/meetings/{id}',
          params: { id: '1' },
          label: 'light',
        });
        await expect(call).rejects.toMatchObject({ status: 401, code: 124, retryable: false });
        expect(deadSim.tokenRequests()).toBe(2);
        expect(deadSim.requests().filter((r) => r.path.startsWith('/v2/'))).toHaveLength(2);
      } finally {
        await dead.close();
        await deadSim.close();
      }
    });
  });

  describe('retries (docs/zoom.md §4)', () => {
    it('a 429 with Retry-After waits that long, then delivers once', async () => {
      const { chat } = await harness();
      sim.setFaults({ burst429: 1, retryAfterHeader: true });
      await chat.sendMessage({ toContact: 'student1@example.com' }, 'after a 429');
      const calls = chatRequests(sim);
      expect(calls.map((c) => c.status)).toEqual([429, 201]);
      // Retry-After: 1 (whole seconds, as Zoom sends).
      expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(950);
      expect(sim.messages()).toHaveLength(1);
    });

    it('a bare 429 (no Retry-After) backs off, then delivers once', async () => {
      const { chat } = await harness();
      sim.setFaults({ burst429: 2, retryAfterHeader: false });
      await chat.sendMessage({ toContact: 'student1@example.com' }, 'after bare 429s');
      const calls = chatRequests(sim);
      expect(calls.map((c) => c.status)).toEqual([429, 429, 201]);
      expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(100);
      expect(sim.messages()).toHaveLength(1);
    });

    it('real rate-limit 429s from a slower account slow the client down until all are delivered', async () => {
      const { chat, http } = await harness();
      sim.setFaults({ rateLimits: { medium: 10, light: 1000, heavy: 1000 } });
      await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          chat.sendMessage({ toContact: `student${i}@example.com` }, `q ${i}`),
        ),
      );
      expect([...countPerRecipient(sim).values()].every((n) => n === 1)).toBe(true);
      expect(sim.messages()).toHaveLength(30);
      expect(chatRequests(sim).some((r) => r.status === 429)).toBe(true);
      // The bucket was slowed for everyone, not only for the callers that got the 429.
      expect(http.currentRate('medium')).toBeLessThan(1000);
    });

    it('a storm of 20% 5xx plus 429 bursts delivers every message exactly once', async () => {
      const { chat } = await harness({ ZOOM_MAX_ATTEMPTS: '10', ZOOM_RATE_LIMIT_MEDIUM: '200' });
      sim.setFaults({ serverErrorRatio: 0.2, burst429: 3 });
      // A second burst while the first retries are under way.
      const burst = setTimeout(() => sim.setFaults({ burst429: 3 }), 1500);
      try {
        await Promise.all(
          Array.from({ length: 200 }, (_, i) =>
            chat.sendMessage({ toContact: `student${i}@example.com` }, `storm ${i}`),
          ),
        );
      } finally {
        clearTimeout(burst);
      }
      const counts = countPerRecipient(sim);
      expect(counts.size).toBe(200);
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
      const statuses = chatRequests(sim).map((r) => r.status);
      expect(statuses.filter((s) => s >= 500).length).toBeGreaterThan(10);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(3);
    }, 90_000);

    it('5xx until attempts run out is a retryable ZoomApiError after exactly ZOOM_MAX_ATTEMPTS calls', async () => {
      const { meetings } = await harness({ ZOOM_MAX_ATTEMPTS: '3' });
      const meeting = sim.createMeeting();
      sim.setFaults({ serverErrorRatio: 1 });
      const error = await meetings.getMeeting(String(meeting.id)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ZoomApiError);
      expect(error).toMatchObject({ retryable: true, zoomMessage: expect.any(String) });
      expect([500, 502, 503]).toContain((error as ZoomApiError).status);
      expect((error as ZoomApiError).trackingId).toEqual(expect.any(String));
      expect(sim.requests().filter((r) => r.path === `/v2/meetings/${meeting.id}`)).toHaveLength(3);
    });

    it('a chat post answered 5xx is posted again only once the message list shows it absent', async () => {
      const { chat } = await harness({ ZOOM_MAX_ATTEMPTS: '3' });
      await chat.sendMessage({ toContact: 'student1@example.com' }, 'warm the token');
      sim.setFaults({ serverErrorRatio: 1 });
      const listFails = await chat
        .sendMessage({ toContact: 'student1@example.com' }, 'never')
        .catch((e: unknown) => e);
      // The list cannot be read either: the outcome stays unknown, and the post is not repeated.
      expect(listFails).toBeInstanceOf(ZoomOutcomeUnknownError);
      expect(listFails).toMatchObject({ retryable: false });
      expect([500, 502, 503]).toContain((listFails as ZoomApiError).status);
      expect(chatRequests(sim).filter((r) => r.status >= 500)).toHaveLength(1);

      // Applied, then 500: the list shows it, so it is sent, with that message's id, and not again.
      sim.reset();
      sim.setFaults({ applyThenServerErrorRatio: 1 });
      const landed = await chat.sendMessage({ toContact: 'student1@example.com' }, 'landed');
      expect(landed).toEqual({ messageId: sim.messages()[0].id });
      expect(chatRequests(sim)).toHaveLength(1);
      expect(sim.messages()).toHaveLength(1);
    });

    it('a read Zoom never answers times out and is retried, then surfaces as retryable', async () => {
      const { meetings } = await harness({ ZOOM_HTTP_TIMEOUT_MS: '300', ZOOM_MAX_ATTEMPTS: '2' });
      const meeting = sim.createMeeting();
      await meetings.getMeeting(String(meeting.id));
      sim.setFaults({ hangRatio: 1 });
      const error = await meetings.getMeeting(String(meeting.id)).catch((e: unknown) => e);
      expect(error).toMatchObject({ status: 0, retryable: true });
      const reads = sim.requests().filter((r) => r.path === `/v2/meetings/${meeting.id}`);
      expect(reads.filter((r) => r.status === 0)).toHaveLength(2);
    });

    it('a chat post Zoom never answers is sent once: its outcome is unknown, not retried', async () => {
      const { chat } = await harness({ ZOOM_HTTP_TIMEOUT_MS: '300', ZOOM_MAX_ATTEMPTS: '3' });
      await chat.sendMessage({ toContact: 'student1@example.com' }, 'warm the token');
      sim.setFaults({ hangRatio: 1 });
      const error = await chat
        .sendMessage({ toContact: 'student2@example.com' }, 'into the void')
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ZoomOutcomeUnknownError);
      expect(error).toMatchObject({ status: 0, retryable: false });
      expect(chatRequests(sim).filter((r) => r.status === 0)).toHaveLength(1);
    });

    it('a chat post Zoom applies but answers too late is posted once, and the list finds it', async () => {
      const { chat } = await harness({ ZOOM_HTTP_TIMEOUT_MS: '300', ZOOM_MAX_ATTEMPTS: '6' });
      await chat.sendMessage({ toContact: 'student3@example.com' }, 'warm the token');
      sim.setFaults({ answerLateMs: 600 });
      const since = new Date();
      const link = 'https://quiz.example/q/unique-token-3';
      const error = await chat
        .sendMessage({ toContact: 'student3@example.com' }, `Answer here: ${link}`)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ZoomOutcomeUnknownError);
      expect(sim.messages().filter((m) => m.message.includes(link))).toHaveLength(1);

      const found = await chat.findSentMessage({ toContact: 'student3@example.com' }, link, {
        since,
      });
      expect(found).toEqual({
        messageId: sim.messages().find((m) => m.message.includes(link))?.id,
      });
      expect(
        await chat.findSentMessage({ toContact: 'student3@example.com' }, 'no-such-link', {
          since,
        }),
      ).toBeNull();
    });

    it('a chat post refused with 429 (not applied) is retried', async () => {
      const { chat } = await harness({ ZOOM_MAX_ATTEMPTS: '4' });
      sim.setFaults({ burst429: 2 });
      await chat.sendMessage({ toContact: 'student4@example.com' }, 'after two 429s');
      expect(chatRequests(sim).map((r) => r.status)).toEqual([429, 429, 201]);
    });

    it('404 is not retried and surfaces Zoom code and message', async () => {
      const { chat } = await harness();
      const error = await chat
        .sendMessage({ toContact: 'nobody@elsewhere.example' }, 'hi')
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ZoomApiError);
      expect(error).toMatchObject({
        status: 404,
        code: 1001,
        zoomMessage: 'User does not exist or does not belong to this account',
        retryable: false,
        trackingId: expect.any(String),
      });
      expect(chatRequests(sim)).toHaveLength(1);
    });

    it('400 is not retried and surfaces Zoom code and message', async () => {
      const { http } = await harness();
      // Straight through the client, bypassing the chat service's own checks: no target.
      const error = await http
        .request({
          method: 'POST',
          path: '/chat/users/{userId}/messages',
          params: { userId: HARNESS_SENDER },
          body: { message: 'no target' },
          label: 'medium',
        })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ status: 400, code: 300, retryable: false });
      expect((error as ZoomApiError).zoomMessage).toMatch(/to_contact or to_channel/);
      expect(chatRequests(sim)).toHaveLength(1);
    });

    it('logs every failure with the x-zm-trackingid, and never a token or secret', async () => {
      const z = await harness({ ZOOM_MAX_ATTEMPTS: '2' });
      await z.chat.sendMessage({ toContact: 'student1@example.com' }, 'ok');
      sim.revokeTokens();
      sim.setFaults({ burst429: 1 });
      await z.chat.sendMessage({ toContact: 'student1@example.com' }, 'after revoke');
      await z.chat
        .sendMessage({ toContact: 'nobody@elsewhere.example' }, 'x')
        .catch(() => undefined);
      const warnings = z.logs.lines.filter((l) => l.includes('x-zm-trackingid='));
      expect(warnings.length).toBeGreaterThanOrEqual(3);
      // The simulator's ids look like Zoom's (v=2.0;clid=...;rid=...); a missing one is logged as
      // "none" and must fail here.
      for (const line of warnings) {
        expect(line).toMatch(/x-zm-trackingid=v=2\.0;clid=\w+;rid=\w+/);
      }
      const all = z.logs.lines.join('\n');
      expect(all).not.toContain(sim.clientSecret);
      expect(all).not.toMatch(/sim\.[A-Za-z0-9_-]{20,}/); // simulator tokens look like sim.<base64url>
      expect(all).not.toContain('Bearer');
    });
  });

  describe('rate limit (docs/zoom.md §4)', () => {
    it('holds the configured rate: 200 sends at 50/s within the limiter bounds, with no 429', async () => {
      sim.setFaults({ rateLimits: { medium: 50, light: 1000, heavy: 1000 } });
      const { chat } = await harness({ ZOOM_RATE_LIMIT_MEDIUM: '50', ZOOM_MAX_IN_FLIGHT: '20' });
      await chat.sendMessage({ toContact: 'student0@example.com' }, 'warm the token');
      await new Promise((r) => setTimeout(r, 100));
      sim.reset();
      sim.setFaults({ rateLimits: { medium: 50, light: 1000, heavy: 1000 } });
      await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          chat.sendMessage({ toContact: `student${i}@example.com` }, `paced ${i}`),
        ),
      );
      const times = chatRequests(sim).map((r) => r.at);
      expect(times).toHaveLength(200);
      const spanMs = times[times.length - 1] - times[0];
      const perSecond = ((times.length - 1) * 1000) / spanMs;
      // What the limiter guarantees, whatever the load on the machine. It releases at most its
      // burst reserve (5 at 50/s, rate-limiter.ts) plus 50 per second, and at most
      // ZOOM_MAX_IN_FLIGHT (20) requests are out at once; so the simulator can see at most
      // 20 + 5 + 50 arrivals in any second, however transport bunches them (a busy event loop
      // does: 61 were seen once). That also keeps every arrival inside the simulator's own 50/s
      // bucket (50 + 50 per second), which refused nothing.
      let busiest = 0;
      for (let i = 0; i < times.length; i++) {
        let j = i;
        while (j < times.length && times[j] < times[i] + 1000) j++;
        busiest = Math.max(busiest, j - i);
      }
      process.stdout.write(
        `\n[zoom] 200 sends at ZOOM_RATE_LIMIT_MEDIUM=50: ${perSecond.toFixed(2)}/s on average, ${busiest} in the busiest second\n`,
      );
      expect(busiest).toBeLessThanOrEqual(20 + 5 + 50);
      expect(chatRequests(sim).filter((r) => r.status === 429)).toHaveLength(0);
      // Over the whole batch the same bound leaves no slack for a faster rate: 200 arrivals need
      // at least (200 - 20 - 5) / 50 = 3.5 s (a limiter at 60/s would need only 2.9 s); load
      // can only make it longer.
      expect(spanMs).toBeGreaterThanOrEqual(((200 - 20 - 5) / 50) * 1000);
      // And it does not pace needlessly slower: the floor for 200 sends at 50/s is about 4 s;
      // a limiter stuck at a fraction of the rate (e.g. after a spurious penalty) would take 8 s
      // or more. The bound is loose enough for a loaded machine to meet.
      expect(spanMs).toBeLessThan(8_000);
    }, 60_000);

    it('caps requests in flight at ZOOM_MAX_IN_FLIGHT', async () => {
      const { chat } = await harness({ ZOOM_MAX_IN_FLIGHT: '3' });
      await chat.sendMessage({ toContact: 'student0@example.com' }, 'warm the token');
      sim.reset();
      sim.setFaults({ latencyMs: 100 });
      const started = Date.now();
      await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          chat.sendMessage({ toContact: `student${i}@example.com` }, `c ${i}`),
        ),
      );
      // 12 calls of 100 ms, 3 at a time: at least 4 rounds.
      expect(Date.now() - started).toBeGreaterThanOrEqual(390);
      const arrivals = chatRequests(sim).map((r) => r.at);
      for (const t of arrivals) {
        expect(arrivals.filter((u) => u >= t && u < t + 90).length).toBeLessThanOrEqual(3);
      }
    });
  });

  it('on shutdown, queued and retrying callers end at once with a retryable ZoomApiError', async () => {
    const z = await startZoomHarness(sim, { ...FAST_ENV, ZOOM_RATE_LIMIT_MEDIUM: '1' });
    const sends = Array.from({ length: 5 }, (_, i) =>
      z.chat.sendMessage({ toContact: `student${i}@example.com` }, `queued ${i}`).then(
        () => 'sent',
        (e: unknown) => e,
      ),
    );
    await new Promise((r) => setTimeout(r, 200));
    const closing = Date.now();
    await z.close();
    const outcomes = await Promise.all(sends);
    expect(Date.now() - closing).toBeLessThan(1000);
    expect(outcomes.filter((o) => o === 'sent').length).toBeLessThanOrEqual(1);
    for (const o of outcomes.filter((x) => x !== 'sent')) {
      expect(o).toBeInstanceOf(ZoomApiError);
      expect(o).toMatchObject({ retryable: true, zoomMessage: 'the service is shutting down' });
    }
  });

  describe('Team Chat (docs/zoom.md §2)', () => {
    it("sends from ZOOM_CHAT_SENDER to a contact and returns Zoom's message id", async () => {
      const { chat } = await harness();
      const { messageId } = await chat.sendMessage(
        { toContact: 'student3@example.com' },
        'What is 2+2?',
      );
      const [message] = sim.messages();
      expect(message).toMatchObject({
        id: messageId,
        sender: HARNESS_SENDER,
        to_contact: 'student3@example.com',
        message: 'What is 2+2?',
      });
    });

    it('sends to a channel', async () => {
      const { chat } = await harness();
      const channel = sim.createChannel({ name: 'Quiz room', members: [HARNESS_SENDER] });
      await chat.sendMessage({ toChannel: channel.id }, 'Everyone: question 1');
      expect(sim.messages()).toEqual([expect.objectContaining({ to_channel: channel.id })]);
    });

    it('accepts exactly 1024 characters and refuses 1025 without calling Zoom', async () => {
      const { chat } = await harness();
      const tooLong = chat.sendMessage(
        { toContact: 'student1@example.com' },
        'x'.repeat(ZOOM_CHAT_MESSAGE_MAX_LENGTH + 1),
      );
      await expect(tooLong).rejects.toBeInstanceOf(ZoomInvalidRequestError);
      await expect(tooLong).rejects.toMatchObject({ status: 400, retryable: false });
      await expect(tooLong).rejects.toThrow(/1025 characters.*at most 1024/);
      expect(sim.requests()).toHaveLength(0);
      expect(sim.tokenRequests()).toBe(0);

      await chat.sendMessage(
        { toContact: 'student1@example.com' },
        'y'.repeat(ZOOM_CHAT_MESSAGE_MAX_LENGTH),
      );
      expect(sim.messages()).toHaveLength(1);
    });

    it('refuses an empty message or a missing target without calling Zoom', async () => {
      const { chat } = await harness();
      await expect(chat.sendMessage({ toContact: 'a@b.c' }, '')).rejects.toBeInstanceOf(
        ZoomInvalidRequestError,
      );
      await expect(chat.sendMessage({ toContact: '  ' }, 'hi')).rejects.toBeInstanceOf(
        ZoomInvalidRequestError,
      );
      const both = { toContact: 'a@b.c', toChannel: 'c1' } as unknown as { toContact: string };
      await expect(chat.sendMessage(both, 'hi')).rejects.toBeInstanceOf(ZoomInvalidRequestError);
      expect(sim.requests()).toHaveLength(0);
    });
  });

  describe('meetings (docs/zoom.md §2, §5)', () => {
    it('reads the continuous-chat channel id (or null without one) and the host', async () => {
      const { meetings } = await harness();
      const withChat = sim.createMeeting({
        topic: 'Algebra',
        continuousChat: true,
        hostEmail: 'Prof@Example.com',
      });
      const plain = sim.createMeeting({ topic: 'Plain' });
      const got = await meetings.getMeeting(String(withChat.id));
      expect(got).toEqual({
        id: String(withChat.id),
        uuid: withChat.uuid,
        topic: 'Algebra',
        chatChannelId: withChat.channel_id,
        hostId: withChat.host_id,
        hostEmail: 'Prof@Example.com',
      });
      expect(got.hostId).toEqual(expect.any(String));
      expect(got.chatChannelId).toEqual(expect.any(String));
      expect((await meetings.getMeeting(String(plain.id))).chatChannelId).toBeNull();
      await expect(meetings.getMeeting('123')).rejects.toMatchObject({ status: 404, code: 3001 });
    });

    it("lists every live participant over all pages (page_size 300), mapping Zoom's fields", async () => {
      const { meetings } = await harness();
      const meeting = sim.createMeeting();
      sim.startMeeting(meeting.id);
      for (let i = 0; i < 649; i++)
        sim.join(meeting.id, { name: `P${i}`, email: `student${i % 200}@example.com` });
      const guest = sim.join(meeting.id, { name: 'Guest' });
      const waiting = sim.joinWaitingRoom(meeting.id, { name: 'Wendy' });
      const leaver = sim.join(meeting.id, { name: 'Leaver', email: 'student5@example.com' });
      sim.leave(meeting.id, leaver.participant_uuid);

      const list = await meetings.listLiveParticipants(String(meeting.id));
      expect(list).toHaveLength(652);
      const pages = sim.requests().filter((r) => r.path.includes('/metrics/meetings/'));
      expect(pages).toHaveLength(3);

      const mappedGuest = list.find((p) => p.participantUuid === guest.participant_uuid);
      expect(mappedGuest).toEqual({
        userId: guest.user_id,
        zoomUserId: null,
        participantUuid: guest.participant_uuid,
        name: 'Guest',
        email: null,
        joinTime: new Date(guest.join_time),
        leaveTime: null,
        inWaitingRoom: false,
      });
      // Zoom's row status in_waiting_room (docs/zoom.md §7).
      const inWaitingRoom = list.filter((p) => p.inWaitingRoom).map((p) => p.participantUuid);
      expect(inWaitingRoom).toEqual([waiting.participant_uuid]);
      const member = list.find((p) => p.name === 'P1');
      expect(member?.zoomUserId).toEqual(expect.any(String));
      expect(member?.email).toBe('student1@example.com');
      const left = list.find((p) => p.participantUuid === leaver.participant_uuid);
      expect(left?.leaveTime).toBeInstanceOf(Date);
    });

    it('encodes twice a meeting UUID that starts with / or contains //', async () => {
      const { meetings } = await harness();
      for (const uuid of ['/ajXp112QmuoKj4854875==', 'ab//cd+EF==']) {
        const meeting = sim.createMeeting();
        sim.startMeeting(meeting.id, { uuid });
        sim.join(meeting.id, { name: 'Ann', email: 'student1@example.com' });
        const list = await meetings.listLiveParticipants(uuid);
        expect(list.map((p) => p.name)).toEqual(['Ann']);
      }
      const paths = sim.requests().map((r) => r.path);
      expect(paths).toContain(
        '/v2/metrics/meetings/%252FajXp112QmuoKj4854875%253D%253D/participants',
      );
      expect(paths).toContain('/v2/metrics/meetings/ab%252F%252Fcd%252BEF%253D%253D/participants');
    });

    it('encodes an ordinary UUID once', async () => {
      const { meetings } = await harness();
      const meeting = sim.createMeeting();
      sim.startMeeting(meeting.id, { uuid: 'Zx9/ab+cd==' });
      sim.join(meeting.id, { name: 'Bo' });
      expect(await meetings.listLiveParticipants('Zx9/ab+cd==')).toHaveLength(1);
      expect(sim.requests().map((r) => r.path)).toContain(
        '/v2/metrics/meetings/Zx9%2Fab%2Bcd%3D%3D/participants',
      );
    });
  });
});
