import { PRO_RATE_LIMITS, startZoomSimulator, type ZoomSimulator } from './index';

/** Response bodies, loosely typed as supertest's are in the other specs. */
async function jsonOf(res: Response): Promise<ReturnType<typeof JSON.parse>> {
  return JSON.parse(await res.text());
}

/** Over real HTTP with global fetch, as the app and the benchmarks talk to it. */
describe('Zoom simulator: Zoom API', () => {
  let sim: ZoomSimulator;

  const basic = (id: string, secret: string): string =>
    `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

  async function tokenCall(
    init: { auth?: string; body?: string; query?: string; contentType?: string } = {},
  ): Promise<Response> {
    return fetch(`${sim.oauthUrl}${init.query ?? ''}`, {
      method: 'POST',
      headers: {
        ...(init.auth !== ''
          ? { authorization: init.auth ?? basic(sim.clientId, sim.clientSecret) }
          : {}),
        'content-type': init.contentType ?? 'application/x-www-form-urlencoded',
      },
      body: init.body ?? `grant_type=account_credentials&account_id=${sim.accountId}`,
    });
  }

  async function token(): Promise<string> {
    const res = await tokenCall();
    expect(res.status).toBe(200);
    return ((await jsonOf(res)) as { access_token: string }).access_token;
  }

  async function api(
    path: string,
    tok: string,
    init: { method?: string; body?: unknown } = {},
  ): Promise<Response> {
    return fetch(`${sim.apiBaseUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${tok}`,
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body:
        init.body === undefined
          ? undefined
          : typeof init.body === 'string'
            ? init.body
            : JSON.stringify(init.body),
    });
  }

  afterEach(async () => sim.close());

  describe('POST /oauth/token', () => {
    beforeEach(async () => {
      sim = await startZoomSimulator();
    });

    it('issues a bearer token with scopes and api_url for the right form body', async () => {
      const res = await tokenCall();
      expect(res.status).toBe(200);
      expect(res.headers.get('x-zm-trackingid')).toBeTruthy();
      const body = await jsonOf(res);
      expect(body).toEqual({
        access_token: expect.any(String),
        token_type: 'bearer',
        expires_in: 3600,
        scope: expect.stringContaining('chat_message:write:admin'),
        api_url: sim.url,
      });
      expect(body.scope.split(' ')).toEqual(
        expect.arrayContaining([
          'meeting:read:admin',
          'dashboard_meetings:read:admin',
          'user:read:admin',
        ]),
      );
      expect(sim.tokenRequests()).toBe(1);
    });

    it('keeps several tokens valid at once', async () => {
      const a = await token();
      const b = await token();
      expect(a).not.toBe(b);
      sim.createMeeting({ id: 111 });
      expect((await api('/meetings/111', a)).status).toBe(200);
      expect((await api('/meetings/111', b)).status).toBe(200);
    });

    it('answers 400 for parameters in the query string', async () => {
      const res = await tokenCall({
        query: `?grant_type=account_credentials&account_id=${sim.accountId}`,
        body: '',
      });
      expect(res.status).toBe(400);
      expect(await jsonOf(res)).toMatchObject({ error: 'invalid_request' });
    });

    it.each([
      ['missing credentials', '', 401, 4706],
      ['wrong client id', 'wrong-id:sim-client-secret', 401, 4702],
      ['wrong client secret', 'sim-client-id:wrong', 401, 4704],
    ])('answers %s with invalid_client', async (_name, pair, status, code) => {
      const auth = pair === '' ? '' : `Basic ${Buffer.from(pair).toString('base64')}`;
      const res = await tokenCall({ auth });
      expect(res.status).toBe(status);
      const body = await jsonOf(res);
      expect(body).toMatchObject({ error: 'invalid_client', code });
      expect(body.reason).toMatch(/client_id or client_secret/);
    });

    it('answers an unsupported grant type with 400 / 4705', async () => {
      const res = await tokenCall({
        body: `grant_type=client_credentials&account_id=${sim.accountId}`,
      });
      expect(res.status).toBe(400);
      expect(await jsonOf(res)).toMatchObject({ error: 'unsupported_grant_type', code: 4705 });
    });

    it('answers a JSON body as an unsupported grant (Zoom reads only the form)', async () => {
      const res = await tokenCall({
        contentType: 'application/json',
        body: JSON.stringify({ grant_type: 'account_credentials', account_id: sim.accountId }),
      });
      expect(res.status).toBe(400);
      expect(await jsonOf(res)).toMatchObject({ code: 4705 });
    });

    it('answers a wrong or missing account id with 400 and a reason', async () => {
      const wrong = await tokenCall({ body: 'grant_type=account_credentials&account_id=other' });
      expect(wrong.status).toBe(400);
      expect(await jsonOf(wrong)).toMatchObject({ reason: 'Invalid account_id' });
      const missing = await tokenCall({ body: 'grant_type=account_credentials' });
      expect(missing.status).toBe(400);
      expect(await jsonOf(missing)).toMatchObject({ reason: 'Missing account_id' });
    });
  });

  describe('bearer tokens on /v2', () => {
    it('answers 401 code 124 without a token, with an unknown one, after revoke and after expiry', async () => {
      sim = await startZoomSimulator({ tokenTtlSeconds: 1 });
      sim.createMeeting({ id: 222 });
      const invalid = { code: 124, message: 'Invalid access token.' };

      const none = await fetch(`${sim.apiBaseUrl}/meetings/222`);
      expect(none.status).toBe(401);
      expect(await jsonOf(none)).toEqual(invalid);
      const unknown = await api('/meetings/222', 'not-a-token');
      expect(unknown.status).toBe(401);
      expect(await jsonOf(unknown)).toEqual(invalid);

      const revoked = await token();
      expect((await api('/meetings/222', revoked)).status).toBe(200);
      sim.revokeTokens();
      const afterRevoke = await api('/meetings/222', revoked);
      expect(afterRevoke.status).toBe(401);
      expect(await jsonOf(afterRevoke)).toEqual(invalid);

      const fresh = await token();
      expect((await api('/meetings/222', fresh)).status).toBe(200);
      await new Promise((r) => setTimeout(r, 1100));
      const expired = await api('/meetings/222', fresh);
      expect(expired.status).toBe(401);
      expect(await jsonOf(expired)).toEqual(invalid);
    });

    it('answers an unknown /v2 route 404 with a Zoom error body', async () => {
      sim = await startZoomSimulator();
      const res = await api('/nope', await token());
      expect(res.status).toBe(404);
      expect(await jsonOf(res)).toMatchObject({ code: 404 });
    });
  });

  describe('POST /v2/chat/users/{userId}/messages', () => {
    const sender = 'host@example.com';
    let tok: string;
    let channelId: string;

    beforeEach(async () => {
      sim = await startZoomSimulator();
      sim.addUser({ email: sender, name: 'Host' });
      sim.addUser({ id: 'u-bob', email: 'bob@example.com', name: 'Bob' });
      // The sender hosts the meeting: a member of its chat channel (docs/zoom.md §2).
      channelId = sim.createMeeting({ continuousChat: true, hostEmail: sender })
        .channel_id as string;
      tok = await token();
    });

    const send = (from: string, body: unknown): Promise<Response> =>
      api(`/chat/users/${encodeURIComponent(from)}/messages`, tok, { method: 'POST', body });

    it('refuses a channel the sender is not a member of (400 / 5301, inferred) until it is added', async () => {
      const other = sim.createChannel({ name: 'Elsewhere', members: ['bob@example.com'] });
      const refused = await send(sender, { message: 'hi', to_channel: other.id });
      expect(refused.status).toBe(400);
      expect(await jsonOf(refused)).toMatchObject({ code: 5301 });
      expect(sim.messages()).toHaveLength(0);
      sim.addChannelMember(other.id, sender);
      expect((await send(sender, { message: 'hi', to_channel: other.id })).status).toBe(201);
      sim.removeChannelMember(channelId, sender);
      expect((await send(sender, { message: 'hi', to_channel: channelId })).status).toBe(400);
    });

    it('refuses a sender whose role may not edit Chat Messages (400 / 200, inferred)', async () => {
      sim.setChatMessagesEdit(sender, false);
      const refused = await send(sender, { message: 'hi', to_contact: 'bob@example.com' });
      expect(refused.status).toBe(400);
      expect(await jsonOf(refused)).toEqual({ code: 200, message: 'No permission.' });
      // Another user's role is not affected.
      expect((await send('bob@example.com', { message: 'hi', to_contact: sender })).status).toBe(
        201,
      );
      sim.setChatMessagesEdit(sender, true);
      expect((await send(sender, { message: 'hi', to_contact: 'bob@example.com' })).status).toBe(
        201,
      );
    });

    it('accepts a message to a contact by email or to a channel, and records it', async () => {
      const byEmail = await send(sender, { message: 'Q1', to_contact: 'bob@example.com' });
      expect(byEmail.status).toBe(201);
      const { id } = await jsonOf(byEmail);
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect((await send(sender, { message: 'Q3', to_channel: channelId })).status).toBe(201);
      expect(sim.messages()).toEqual([
        { id, sender, to_contact: 'bob@example.com', message: 'Q1', at: expect.any(Number) },
        expect.objectContaining({ to_channel: channelId, message: 'Q3' }),
      ]);
    });

    it('refuses a to_contact that is not an email (a user id) with 400 / 300 naming the field', async () => {
      const res = await send(sender, { message: 'Q2', to_contact: 'u-bob' });
      expect(res.status).toBe(400);
      expect(await jsonOf(res)).toMatchObject({
        code: 300,
        errors: [{ field: 'to_contact', message: expect.stringMatching(/email/) }],
      });
      expect(sim.messages()).toHaveLength(0);
    });

    it('treats {userId} as the sender: unknown sender and "me" are 404 / 1001', async () => {
      for (const from of ['nobody@example.com', 'me']) {
        const res = await send(from, { message: 'hi', to_contact: 'bob@example.com' });
        expect(res.status).toBe(404);
        expect(await jsonOf(res)).toEqual({ code: 1001, message: `User does not exist: ${from}.` });
      }
    });

    it('answers an unknown contact 404 / 1001 and an unknown channel 404 / 4130', async () => {
      const contact = await send(sender, {
        message: 'hi',
        to_contact: 'stranger@elsewhere.example',
      });
      expect(contact.status).toBe(404);
      expect(await jsonOf(contact)).toEqual({
        code: 1001,
        message: 'User does not exist or does not belong to this account',
      });
      const channel = await send(sender, { message: 'hi', to_channel: 'no-such-channel' });
      expect(channel.status).toBe(404);
      expect(await jsonOf(channel)).toMatchObject({ code: 4130 });
      expect(sim.messages()).toHaveLength(0);
    });

    it('validates the body: message required, at most 1024 characters, exactly one target', async () => {
      const cases: Array<[unknown, RegExp]> = [
        [{ to_contact: 'bob@example.com' }, /required/i],
        [{ message: 'x'.repeat(1025), to_contact: 'bob@example.com' }, /1024/],
        [{ message: 'hi' }, /to_contact or to_channel/],
        [
          { message: 'hi', to_contact: 'bob@example.com', to_channel: channelId },
          /to_contact or to_channel/,
        ],
        ['{not json', /valid JSON/],
      ];
      for (const [body, message] of cases) {
        const res = await send(sender, body);
        expect(res.status).toBe(400);
        const json = await jsonOf(res);
        expect(json.code).toBe(300);
        expect(json.message).toMatch(message);
      }
      expect(
        (await send(sender, { message: 'x'.repeat(1024), to_contact: 'bob@example.com' })).status,
      ).toBe(201);
      expect(sim.messages()).toHaveLength(1);
    });

    it('answers the next N sends 429 with burst429, then accepts again', async () => {
      sim.setFaults({ burst429: 2 });
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++)
        statuses.push(
          (await send(sender, { message: 'hi', to_contact: 'bob@example.com' })).status,
        );
      expect(statuses).toEqual([429, 429, 201]);
    });
  });

  describe('GET /v2/chat/users/{userId}/messages (list)', () => {
    const sender = 'host@example.com';
    let tok: string;

    const post = (body: unknown): Promise<Response> =>
      api(`/chat/users/${encodeURIComponent(sender)}/messages`, tok, { method: 'POST', body });
    const list = (query: string): Promise<Response> =>
      api(`/chat/users/${encodeURIComponent(sender)}/messages?${query}`, tok);

    it("lists the sender's messages to one contact, newest first, in pages", async () => {
      sim = await startZoomSimulator();
      sim.addUser({ email: sender, name: 'Host' });
      sim.addUser({ email: 'bob@example.com' });
      sim.addUser({ email: 'eve@example.com' });
      tok = await token();
      for (let i = 0; i < 3; i++)
        await post({ message: `to bob ${i}`, to_contact: 'bob@example.com' });
      await post({ message: 'to eve', to_contact: 'eve@example.com' });

      const first = await list('to_contact=bob@example.com&page_size=2');
      expect(first.status).toBe(200);
      const page1 = await jsonOf(first);
      expect(page1.messages.map((m: { message: string }) => m.message)).toEqual([
        'to bob 2',
        'to bob 1',
      ]);
      expect(page1.messages[0]).toMatchObject({
        id: expect.any(String),
        sender,
        date_time: expect.stringMatching(/Z$/),
        timestamp: expect.any(Number),
      });
      const page2 = await jsonOf(
        await list(
          `to_contact=bob@example.com&page_size=2&next_page_token=${page1.next_page_token}`,
        ),
      );
      expect(page2.messages.map((m: { message: string }) => m.message)).toEqual(['to bob 0']);
      expect(page2.next_page_token).toBe('');

      const future = new Date(Date.now() + 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const none = await jsonOf(await list(`to_contact=bob@example.com&from=${future}`));
      expect(none.messages).toEqual([]);
      expect((await list('page_size=2')).status).toBe(400);
    });

    it('answers 400 code 4711 to a token without a chat read scope', async () => {
      sim = await startZoomSimulator({ scopes: ['chat_message:write:admin'] });
      sim.addUser({ email: sender });
      tok = await token();
      const res = await list('to_contact=bob@example.com');
      expect(res.status).toBe(400);
      expect((await jsonOf(res)).code).toBe(4711);
    });

    it('answerLateMs applies a post at once and answers it late; applyThenHangRatio never', async () => {
      sim = await startZoomSimulator();
      sim.addUser({ email: sender });
      sim.addUser({ email: 'bob@example.com' });
      tok = await token();
      sim.setFaults({ answerLateMs: 400 });
      const late = post({ message: 'late', to_contact: 'bob@example.com' });
      await new Promise((r) => setTimeout(r, 200));
      expect(sim.messages().map((m) => m.message)).toEqual(['late']);
      expect((await late).status).toBe(201);

      sim.setFaults({ answerLateMs: 0, applyThenHangRatio: 1 });
      const hung = post({ message: 'hung', to_contact: 'bob@example.com' }).then(
        (r) => r.status,
        () => 'closed',
      );
      const winner = await Promise.race([
        hung,
        new Promise((r) => setTimeout(() => r('hung'), 300)),
      ]);
      expect(winner).toBe('hung');
      expect(sim.messages().map((m) => m.message)).toEqual(['late', 'hung']);
      await sim.close();
      expect(await hung).toBe('closed');
    });

    it('applyThenServerErrorRatio applies a post and answers 500; serverErrorRatio applies nothing', async () => {
      sim = await startZoomSimulator();
      sim.addUser({ email: sender });
      sim.addUser({ email: 'bob@example.com' });
      tok = await token();
      sim.setFaults({ applyThenServerErrorRatio: 1 });
      const applied = await post({ message: 'applied', to_contact: 'bob@example.com' });
      expect(applied.status).toBe(500);
      expect(sim.messages().map((m) => m.message)).toEqual(['applied']);

      sim.setFaults({ applyThenServerErrorRatio: 0, serverErrorRatio: 1 });
      const refused = await post({ message: 'refused', to_contact: 'bob@example.com' });
      expect(refused.status).toBeGreaterThanOrEqual(500);
      expect(sim.messages().map((m) => m.message)).toEqual(['applied']);
    });
  });

  describe('GET /v2/meetings/{meetingId}', () => {
    it('returns the meeting with its continuous chat channel, and 404 / 3001 for an unknown one', async () => {
      sim = await startZoomSimulator();
      const m = sim.createMeeting({
        id: 85746065432,
        topic: 'Physics',
        hostEmail: 'prof@example.com',
        continuousChat: true,
      });
      const tok = await token();
      const res = await api('/meetings/85746065432', tok);
      expect(res.status).toBe(200);
      expect(await jsonOf(res)).toMatchObject({
        id: 85746065432,
        uuid: m.uuid,
        topic: 'Physics',
        host_id: m.host_id,
        host_email: 'prof@example.com',
        settings: { continuous_meeting_chat: { enable: true, channel_id: m.channel_id } },
      });
      const missing = await api('/meetings/123', tok);
      expect(missing.status).toBe(404);
      expect(await jsonOf(missing)).toEqual({
        code: 3001,
        message: 'Meeting does not exist: 123.',
      });
    });
  });

  describe('GET /v2/metrics/meetings/{meetingId}/participants', () => {
    it('pages through live participants with Zoom field names, including those who left', async () => {
      sim = await startZoomSimulator();
      const member = sim.addUser({ email: 'ann@example.com', name: 'Ann' });
      const m = sim.createMeeting();
      sim.startMeeting(m.id);
      const ann = sim.join(m.id, { name: 'Ann', email: member.email });
      for (let i = 0; i < 6; i++) sim.join(m.id, { name: `Guest ${i}`, zoomUserId: '' });
      sim.leave(m.id, ann.participant_uuid);
      const tok = await token();

      const seen: Array<Record<string, unknown>> = [];
      let next = '';
      let pages = 0;
      do {
        const q = new URLSearchParams({
          type: 'live',
          page_size: '3',
          ...(next ? { next_page_token: next } : {}),
        });
        const res = await api(`/metrics/meetings/${m.id}/participants?${q.toString()}`, tok);
        expect(res.status).toBe(200);
        const body = await jsonOf(res);
        expect(body).toMatchObject({ page_size: 3, total_records: 7, page_count: 3 });
        seen.push(...body.participants);
        next = body.next_page_token;
        pages++;
      } while (next);
      expect(pages).toBe(3);
      expect(seen).toHaveLength(7);
      expect(seen[0]).toMatchObject({
        id: member.id,
        participant_user_id: member.id,
        user_id: ann.user_id,
        participant_uuid: ann.participant_uuid,
        user_name: 'Ann',
        email: 'ann@example.com',
        join_time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        leave_time: expect.any(String),
      });
      expect(seen[1]).toMatchObject({
        id: '',
        user_name: 'Guest 0',
        email: '',
        status: 'in_meeting',
      });
      expect(seen[1]).not.toHaveProperty('leave_time');
    });

    it('marks a row in the waiting room status in_waiting_room, in_meeting once admitted', async () => {
      sim = await startZoomSimulator();
      const m = sim.createMeeting();
      const p = sim.joinWaitingRoom(m.id, { name: 'Wendy' });
      const tok = await token();
      const statuses = async () =>
        (
          (await jsonOf(await api(`/metrics/meetings/${m.id}/participants?type=live`, tok)))
            .participants as Array<{ status: string }>
        ).map((r) => r.status);
      expect(await statuses()).toEqual(['in_waiting_room']);
      sim.admit(m.id, p.participant_uuid);
      expect(await statuses()).toEqual(['in_meeting']);
    });

    it('gives a new per-join user_id and participant_uuid on rejoin', async () => {
      sim = await startZoomSimulator();
      sim.addUser({ id: 'zid', email: 'z@example.com' });
      const m = sim.createMeeting();
      const first = sim.join(m.id, { name: 'Z', email: 'z@example.com' });
      sim.leave(m.id, first.user_id);
      const second = sim.join(m.id, { name: 'Z', email: 'z@example.com' });
      expect(second.user_id).not.toBe(first.user_id);
      expect(second.participant_uuid).not.toBe(first.participant_uuid);
      expect([first.id, second.id]).toEqual(['zid', 'zid']);
    });

    it('caps page_size at 300, defaults to 30, and refuses a foreign page token', async () => {
      sim = await startZoomSimulator();
      const m = sim.createMeeting();
      sim.startMeeting(m.id);
      const tok = await token();
      const big = await jsonOf(
        await api(`/metrics/meetings/${m.id}/participants?page_size=1000`, tok),
      );
      expect(big.page_size).toBe(300);
      const dflt = await jsonOf(await api(`/metrics/meetings/${m.id}/participants`, tok));
      expect(dflt).toMatchObject({
        page_size: 30,
        total_records: 0,
        next_page_token: '',
        participants: [],
      });
      const bad = await api(`/metrics/meetings/${m.id}/participants?next_page_token=garbage`, tok);
      expect(bad.status).toBe(400);
    });

    it('finds an occurrence by a UUID with "/" only when double-encoded (docs/zoom.md §5)', async () => {
      sim = await startZoomSimulator();
      const m = sim.createMeeting();
      const uuid = '/ajXp112QmuoKj4854875==';
      sim.startMeeting(m.id, { uuid });
      sim.join(m.id, { name: 'Ann' });
      const tok = await token();
      const twice = encodeURIComponent(encodeURIComponent(uuid));
      const ok = await api(`/metrics/meetings/${twice}/participants?type=live`, tok);
      expect(ok.status).toBe(200);
      expect((await jsonOf(ok)).total_records).toBe(1);
      const once = await api(`/metrics/meetings/${encodeURIComponent(uuid)}/participants`, tok);
      expect(once.status).toBe(404);
      expect(await jsonOf(once)).toMatchObject({ code: 3001 });

      // A '/' inside (not leading, not doubled) needs one encoding only, and two also work.
      sim.endMeeting(m.id);
      const inner = 'ab/cd+ef==';
      sim.startMeeting(m.id, { uuid: inner });
      for (const path of [
        encodeURIComponent(inner),
        encodeURIComponent(encodeURIComponent(inner)),
      ]) {
        const res = await api(`/metrics/meetings/${path}/participants`, tok);
        expect(res.status).toBe(200);
      }
    });

    it('answers 404 / 3001 for live participants of a meeting not in progress', async () => {
      sim = await startZoomSimulator();
      const m = sim.createMeeting();
      const res = await api(`/metrics/meetings/${m.id}/participants?type=live`, await token());
      expect(res.status).toBe(404);
      expect(await jsonOf(res)).toMatchObject({ code: 3001 });
    });
  });

  describe('rate limits (docs/zoom.md §4)', () => {
    it('answers a spent daily cap 429 with Daily-limit and a Retry-After date, or with only the message', async () => {
      sim = await startZoomSimulator({ dailyLimits: { light: 2 } });
      sim.createMeeting({ id: 334 });
      const tok = await token();
      expect((await api('/meetings/334', tok)).status).toBe(200);
      expect((await api('/meetings/334', tok)).status).toBe(200);
      const daily = await api('/meetings/334', tok);
      expect(daily.status).toBe(429);
      const now = new Date();
      const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
      expect(daily.headers.get('x-ratelimit-type')).toBe('Daily-limit');
      expect(Date.parse(daily.headers.get('retry-after') ?? '')).toBe(midnight);
      expect(daily.headers.get('x-ratelimit-category')).toBe('Light');
      expect(daily.headers.get('x-ratelimit-limit')).toBe('2');
      expect((await jsonOf(daily)).message).toMatch(/daily rate limit.*GMT 00:00:00/);

      sim.setFaults({ dailyLimits: { light: 1 }, dailyLimitHeaders: false });
      expect((await api('/meetings/334', tok)).status).toBe(200);
      const bare = await api('/meetings/334', tok);
      expect(bare.status).toBe(429);
      expect(bare.headers.get('x-ratelimit-type')).toBeNull();
      expect(bare.headers.get('retry-after')).toBeNull();
      expect((await jsonOf(bare)).message).toMatch(/daily rate limit.*GMT 00:00:00/);
    });

    it('answers 429 with Zoom headers past the per-second rate, per label', async () => {
      sim = await startZoomSimulator({ rateLimits: { light: 5, heavy: 2 } });
      sim.createMeeting({ id: 333 });
      const tok = await token();
      const started = Date.now();
      const responses = await Promise.all(
        Array.from({ length: 12 }, () => api('/meetings/333', tok)),
      );
      expect(Date.now() - started).toBeLessThan(1000);
      const ok = responses.filter((r) => r.status === 200);
      const limited = responses.filter((r) => r.status === 429);
      // Within one second: the bucket holds 5; refill during the burst may add one.
      expect(ok.length).toBeGreaterThanOrEqual(5);
      expect(ok.length).toBeLessThanOrEqual(6);
      expect(limited.length).toBe(12 - ok.length);
      const r = limited[0];
      expect(await jsonOf(r)).toEqual({
        code: 429,
        message:
          'You have reached the maximum per-second rate limit for this API. Try again later.',
      });
      expect(r.headers.get('retry-after')).toBe('1');
      expect(r.headers.get('x-ratelimit-category')).toBe('Light');
      expect(r.headers.get('x-ratelimit-type')).toBe('QPS');
      expect(r.headers.get('x-ratelimit-limit')).toBe('5');
      expect(r.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(sim.requests().filter((q) => q.label === 'light' && q.status === 429)).toHaveLength(
        limited.length,
      );

      // Medium is unlimited here (left out of rateLimits) and does not share Light's bucket.
      sim.addUser({ email: 'a@example.com' });
      const chats = await Promise.all(
        Array.from({ length: 20 }, () =>
          api('/chat/users/a@example.com/messages', tok, {
            method: 'POST',
            body: { message: 'm', to_contact: 'a@example.com' },
          }),
        ),
      );
      expect(chats.every((c) => c.status === 201)).toBe(true);

      // The bucket refills: a second later Light answers again.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect((await api('/meetings/333', tok)).status).toBe(200);
    });

    it('sends a bare 429 in no-header mode', async () => {
      sim = await startZoomSimulator({ rateLimits: { light: 1 }, retryAfterHeader: false });
      sim.createMeeting({ id: 444 });
      const tok = await token();
      const [a, b] = await Promise.all([api('/meetings/444', tok), api('/meetings/444', tok)]);
      const limited = [a, b].find((r) => r.status === 429);
      expect(limited).toBeDefined();
      for (const h of [
        'retry-after',
        'x-ratelimit-category',
        'x-ratelimit-type',
        'x-ratelimit-limit',
        'x-ratelimit-remaining',
      ]) {
        expect(limited?.headers.get(h)).toBeNull();
      }
      expect(limited?.headers.get('x-zm-trackingid')).toBeTruthy();
    });

    it('can send Retry-After as an HTTP date', async () => {
      sim = await startZoomSimulator({ rateLimits: { light: 1 }, retryAfterFormat: 'http-date' });
      sim.createMeeting({ id: 445 });
      const tok = await token();
      const responses = await Promise.all([api('/meetings/445', tok), api('/meetings/445', tok)]);
      const value = responses.find((r) => r.status === 429)?.headers.get('retry-after') ?? '';
      expect(value).toMatch(/GMT$/);
      const waitMs = Date.parse(value) - Date.now();
      expect(waitMs).toBeGreaterThan(-1000);
      expect(waitMs).toBeLessThanOrEqual(1000);
    });

    it('uses the Pro limits by default', async () => {
      // A frozen rate clock: the bucket never refills, so exactly the Pro allowance passes
      // however slowly a loaded machine delivers the requests.
      sim = await startZoomSimulator({ rateClock: () => 1_000_000 });
      sim.createMeeting({ id: 555 });
      const tok = await token();
      const responses = await Promise.all(
        Array.from({ length: 15 }, () => api('/metrics/meetings/555/participants?type=past', tok)),
      );
      // Heavy is 10/s on Pro; the meeting has no occurrence yet so the allowed ones are 404s.
      expect(responses.filter((r) => r.status === 429)).toHaveLength(15 - PRO_RATE_LIMITS.heavy);
      expect(responses.filter((r) => r.status === 404)).toHaveLength(PRO_RATE_LIMITS.heavy);
    });
  });

  describe('faults', () => {
    it('answers a seeded fraction of calls with 5xx and adds latency', async () => {
      sim = await startZoomSimulator({
        serverErrorRatio: 0.5,
        latencyMs: 30,
        seed: 42,
        rateLimits: {},
      });
      sim.createMeeting({ id: 666 });
      const tok = await token();
      const started = Date.now();
      const statuses = [];
      for (let i = 0; i < 40; i++) statuses.push((await api('/meetings/666', tok)).status);
      expect(Date.now() - started).toBeGreaterThanOrEqual(40 * 30);
      const errors = statuses.filter((s) => s >= 500);
      expect(errors.length).toBeGreaterThan(8);
      expect(errors.length).toBeLessThan(32);
      expect(new Set(errors).size).toBeGreaterThan(1);
      sim.setFaults({ serverErrorRatio: 0, latencyMs: 0 });
      expect((await api('/meetings/666', tok)).status).toBe(200);
    });

    it('never answers hung requests, and close() releases them', async () => {
      sim = await startZoomSimulator();
      sim.createMeeting({ id: 777 });
      const tok = await token();
      sim.setFaults({ hangRatio: 1 });
      const pending = api('/meetings/777', tok).then(
        (r) => r.status,
        () => 'closed',
      );
      const winner = await Promise.race([
        pending,
        new Promise((r) => setTimeout(() => r('hung'), 300)),
      ]);
      expect(winner).toBe('hung');
      expect(sim.requests().at(-1)).toMatchObject({ path: '/v2/meetings/777', status: 0 });
      await sim.close();
      expect(await pending).toBe('closed');
    });

    it('reset() clears records and faults but keeps users and meetings', async () => {
      sim = await startZoomSimulator();
      sim.addUser({ email: 'keep@example.com' });
      sim.createMeeting({ id: 888 });
      await token();
      sim.setFaults({ serverErrorRatio: 1 });
      sim.reset();
      expect(sim.requests()).toHaveLength(0);
      expect(sim.tokenRequests()).toBe(0);
      expect((await api('/meetings/888', await token())).status).toBe(200);
      expect(sim.users().map((u) => u.email)).toContain('keep@example.com');
    });
  });

  describe('control API /_sim', () => {
    it('drives the simulator over HTTP', async () => {
      sim = await startZoomSimulator();
      const ctl = async (method: string, path: string, body?: unknown) => {
        const res = await fetch(`${sim.url}/_sim${path}`, {
          method,
          headers: body === undefined ? {} : { 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return { status: res.status, json: await jsonOf(res) };
      };
      expect((await ctl('GET', '')).json).toMatchObject({
        clientId: 'sim-client-id',
        apiBaseUrl: sim.apiBaseUrl,
      });
      const user = (await ctl('POST', '/users', { email: 'c@example.com', name: 'C' })).json;
      expect(user).toMatchObject({ email: 'c@example.com', id: expect.any(String) });
      const meeting = (await ctl('POST', '/meetings', { topic: 'T', continuousChat: true })).json;
      expect((await ctl('POST', `/meetings/${meeting.id}/start`)).json.uuid).toBe(meeting.uuid);
      const p = (
        await ctl('POST', `/meetings/${meeting.id}/join`, { name: 'C', email: 'c@example.com' })
      ).json;
      expect(p).toMatchObject({ id: user.id, user_name: 'C' });
      expect(
        (await ctl('POST', `/meetings/${meeting.id}/leave`, { participant: p.participant_uuid }))
          .status,
      ).toBe(200);
      expect((await ctl('POST', `/meetings/${meeting.id}/end`)).status).toBe(200);
      expect(
        (await ctl('GET', `/meetings/${meeting.id}`)).json.occurrences[0].participants[0]
          .leave_time,
      ).toBeDefined();
      expect((await ctl('GET', '/meetings/999')).status).toBe(404);
      expect((await ctl('POST', '/faults', { burst429: 'x' })).status).toBe(400);
      expect(
        (await ctl('POST', '/faults', { rateLimits: { medium: 1 }, burst429: 1 })).status,
      ).toBe(200);

      const tok = await token();
      const res = await api('/chat/users/c@example.com/messages', tok, {
        method: 'POST',
        body: { message: 'x', to_contact: 'c@example.com' },
      });
      expect(res.status).toBe(429);
      expect((await ctl('GET', '/requests')).json.at(-1)).toMatchObject({
        status: 429,
        label: 'medium',
      });
      expect((await ctl('GET', '/token-requests')).json).toEqual({ count: 1 });
      expect((await ctl('POST', '/revoke')).status).toBe(200);
      expect((await api('/meetings/1', tok)).status).toBe(401);
      expect((await ctl('POST', '/reset')).status).toBe(200);
      expect((await ctl('GET', '/messages')).json).toEqual([]);
      expect((await ctl('GET', '/nope')).status).toBe(404);
    });
  });
});
