import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseJsonObject, readBody, sendJson, sleep, zoomTime } from './http';
import type { SeededRandom } from './prng';
import { DailyLimit } from './daily-limit';
import { PRO_RATE_LIMITS, type RateLimiter } from './rate-limiter';
import type { TokenStore } from './tokens';
import { trackingId } from './webhooks';
import { SimNotFoundError, type SimWorld } from './world';
import type {
  BusiestWindow,
  RateLabel,
  RecordedRequest,
  RetryAfterFormat,
  SentMessage,
  SimMeeting,
  SimOccurrence,
  SimParticipant,
} from './types';

/** Team Chat's limit on `message` (docs/zoom.md §2). Counted in UTF-16 units, the stricter reading (inferred). */
export const CHAT_MESSAGE_MAX = 1024;

/** Live fault settings, changed by setFaults()/reset(). */
export interface FaultState {
  latencyMs: number;
  serverErrorRatio: number;
  retryAfterHeader: boolean;
  retryAfterFormat: RetryAfterFormat;
  hangRatio: number;
  burst429: number;
  /** Chat sends are applied at once, then answered after this many ms (0: at once). */
  answerLateMs: number;
  /** Fraction of chat sends that are applied and then never answered (until close()). */
  applyThenHangRatio: number;
  /** Fraction of chat sends that are applied and then answered 500. */
  applyThenServerErrorRatio: number;
  /** Chat sends are answered 201 without a message id. */
  omitMessageId: boolean;
  /** A daily 429 carries X-RateLimit-Type and Retry-After (true) or only its message (false). */
  dailyLimitHeaders: boolean;
}

export interface ZoomApiConfig {
  accountId: string;
  clientId: string;
  clientSecret: string;
  scopes: string[];
  /** What the token answer reports as `api_url` (Zoom: "https://api.zoom.us", no /v2). */
  apiUrl: () => string;
}

type Answer = (status: number, body: unknown, headers?: Record<string, string>) => void;

interface Route {
  label: RateLabel;
  handle: (
    answer: Answer,
    body: () => Promise<string>,
    query: URLSearchParams,
    res: ServerResponse,
  ) => Promise<void> | void;
}

const LABEL_CATEGORY: Record<RateLabel, string> = {
  light: 'Light',
  medium: 'Medium',
  heavy: 'Heavy',
};

/** The codes of the sender's chat refusals (issue 12; inferred, see sendChatMessage). */
export const CHAT_NO_PERMISSION_CODE = 200;
export const CHAT_NOT_CHANNEL_MEMBER_CODE = 5301;

/** Zoom's error bodies are `{code, message}` (docs/zoom.md §2). */
function zoomError(code: number, message: string): { code: number; message: string } {
  return { code, message };
}

/**
 * Zoom's OAuth token endpoint and the /v2 endpoints this product uses, with Zoom's statuses,
 * codes and bodies. Knows nothing of the control API.
 */
export class ZoomApi {
  private tokenRequestCount = 0;
  private readonly recorded: RecordedRequest[] = [];
  private readonly sent: SentMessage[] = [];
  /** Hung requests: answered never, destroyed on close(). */
  readonly hung = new Set<ServerResponse>();

  constructor(
    private readonly world: SimWorld,
    private readonly tokens: TokenStore,
    private readonly limiter: RateLimiter,
    private readonly rng: SeededRandom,
    private readonly faults: FaultState,
    private readonly config: ZoomApiConfig,
    private readonly daily: DailyLimit = new DailyLimit(),
  ) {}

  get tokenRequests(): number {
    return this.tokenRequestCount;
  }

  messages(): SentMessage[] {
    return this.sent.map((m) => ({ ...m }));
  }

  editMessage(id: string, message: string): void {
    const sent = this.sent.find((m) => m.id === id);
    if (!sent) throw new Error(`No message ${id}`);
    sent.message = message;
    sent.edited = true;
  }

  requests(): RecordedRequest[] {
    return this.recorded.map((r) => ({ ...r }));
  }

  /**
   * Sliding windows over the accepted requests of `label` (every window that starts at an
   * accepted request, which covers the fullest one): what a check of "at most N per second" reads.
   */
  busiestWindow(label: RateLabel, windowMs: number): BusiestWindow {
    const times = this.recorded
      .filter((r) => r.label === label && r.acceptedAt !== undefined)
      .map((r) => r.acceptedAt as number)
      .sort((a, b) => a - b);
    let best: BusiestWindow = { count: 0, startsAt: null, windowMs };
    let end = 0;
    for (let start = 0; start < times.length; start++) {
      while (end < times.length && times[end] < times[start] + windowMs) end++;
      if (end - start > best.count) best = { count: end - start, startsAt: times[start], windowMs };
    }
    return best;
  }

  clearRecords(): void {
    this.recorded.length = 0;
    this.sent.length = 0;
    this.tokenRequestCount = 0;
  }

  async handle(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    rawPath: string,
  ): Promise<void> {
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: rawPath,
      status: 0,
      label: null,
      at: Date.now(),
    };
    this.recorded.push(record);
    const answer: Answer = (status, body, headers = {}) => {
      record.status = status;
      // Every Zoom answer carries a tracking id, the reference Zoom support asks for.
      sendJson(res, status, body, { 'x-zm-trackingid': trackingId('WEB'), ...headers });
    };
    if (this.faults.latencyMs > 0) await sleep(this.faults.latencyMs);

    if (rawPath === '/oauth/token') {
      this.tokenRequestCount++;
      return this.oauthToken(req, url, answer);
    }
    if (!rawPath.startsWith('/v2/')) return answer(404, zoomError(404, 'Not Found'));
    if (this.rng.chance(this.faults.hangRatio)) return this.hang(res);
    if (this.rng.chance(this.faults.serverErrorRatio)) {
      const status = [500, 502, 503][this.rng.int(3)];
      return answer(status, zoomError(status, 'Internal server error. Please try again later.'));
    }

    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!bearer || !this.tokens.isValid(bearer)) {
      // docs/zoom.md §1: the one answer for a missing, unknown, expired or revoked token.
      return answer(401, zoomError(124, 'Invalid access token.'));
    }

    const route = this.route(req.method ?? 'GET', rawPath);
    if (!route) return answer(404, zoomError(404, `No handler found for ${req.method} ${rawPath}`));
    record.label = route.label;

    const dailyCap = this.daily.exhausted(route.label);
    if (dailyCap !== undefined) return this.dailyLimitReached(answer, route.label, dailyCap);
    const decision = this.limiter.take(route.label);
    if (!decision.allowed) {
      return this.tooManyRequests(answer, route.label, decision.limit, decision.retryAfterSeconds);
    }
    this.daily.count(route.label);
    record.acceptedAt = Date.now();
    await route.handle(answer, () => readBody(req), url.searchParams, res);
  }

  // ---- POST /oauth/token (docs/zoom.md §1) ------------------------------------------------------

  private async oauthToken(req: IncomingMessage, url: URL, answer: Answer): Promise<void> {
    if (req.method !== 'POST') {
      return answer(405, { reason: 'Method Not Allowed', error: 'invalid_request' });
    }
    const raw = await readBody(req);
    // Zoom has answered parameters sent in the query string with 400 (docs/zoom.md §1).
    if (url.searchParams.has('grant_type') || url.searchParams.has('account_id')) {
      return answer(400, {
        reason: 'Parameters must be sent in the request body (application/x-www-form-urlencoded)',
        error: 'invalid_request',
      });
    }
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const decoded = basic ? Buffer.from(basic, 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    const clientId = colon >= 0 ? decoded.slice(0, colon) : '';
    const clientSecret = colon >= 0 ? decoded.slice(colon + 1) : '';
    if (!clientId || !clientSecret) {
      return answer(401, {
        reason: 'Missing client_id or client_secret',
        error: 'invalid_client',
        code: 4706,
      });
    }
    if (clientId !== this.config.clientId) {
      return answer(401, {
        reason: 'Invalid client_id or client_secret',
        error: 'invalid_client',
        code: 4702,
      });
    }
    if (clientSecret !== this.config.clientSecret) {
      return answer(401, {
        reason: 'Invalid client_id or client_secret',
        error: 'invalid_client',
        code: 4704,
      });
    }
    const isForm = (req.headers['content-type'] ?? '')
      .toLowerCase()
      .startsWith('application/x-www-form-urlencoded');
    const form = new URLSearchParams(isForm ? raw : '');
    if (form.get('grant_type') !== 'account_credentials') {
      // Usually credentials of a non-S2S app type (docs/zoom.md §1).
      return answer(400, {
        reason: 'unsupported grant type',
        error: 'unsupported_grant_type',
        code: 4705,
      });
    }
    const accountId = form.get('account_id');
    if (!accountId) {
      return answer(400, { reason: 'Missing account_id', error: 'invalid_request' });
    }
    if (accountId !== this.config.accountId) {
      return answer(400, { reason: 'Invalid account_id', error: 'invalid_request' });
    }
    return answer(200, {
      access_token: this.tokens.issue(),
      token_type: 'bearer',
      expires_in: this.tokens.ttl,
      scope: this.config.scopes.join(' '),
      api_url: this.config.apiUrl(),
    });
  }

  // ---- /v2 routing ---------------------------------------------------------------------------

  /** Matches on raw segments so that an encoded '/' inside a UUID never splits the path. */
  private route(method: string, rawPath: string): Route | undefined {
    const s = rawPath.split('/');
    // /v2/chat/users/{userId}/messages: POST sends, GET lists (both Medium).
    const userMessages =
      s.length === 6 && s[2] === 'chat' && s[3] === 'users' && s[5] === 'messages';
    if (userMessages && method === 'POST') {
      return {
        label: 'medium',
        handle: (a, body, _q, res) => this.sendChatMessage(a, decodeURIComponent(s[4]), body, res),
      };
    }
    if (userMessages && method === 'GET') {
      return {
        label: 'medium',
        handle: (a, _b, q) => this.listChatMessages(a, decodeURIComponent(s[4]), q),
      };
    }
    if (method === 'GET' && s.length === 4 && s[2] === 'meetings') {
      return { label: 'light', handle: (a) => this.getMeeting(a, s[3]) };
    }
    if (
      method === 'GET' &&
      s.length === 6 &&
      s[2] === 'metrics' &&
      s[3] === 'meetings' &&
      s[5] === 'participants'
    ) {
      return { label: 'heavy', handle: (a, _b, q) => this.listParticipants(a, s[4], q) };
    }
    return undefined;
  }

  private tooManyRequests(
    answer: Answer,
    label: RateLabel,
    limit: number,
    retryAfterSeconds: number,
  ): void {
    // docs/zoom.md §4: the rate headers may be there, or not at all.
    const headers: Record<string, string> = this.faults.retryAfterHeader
      ? {
          'retry-after':
            this.faults.retryAfterFormat === 'http-date'
              ? new Date(Date.now() + retryAfterSeconds * 1000).toUTCString()
              : String(retryAfterSeconds),
          'x-ratelimit-category': LABEL_CATEGORY[label],
          'x-ratelimit-type': 'QPS',
          'x-ratelimit-limit': String(limit),
          'x-ratelimit-remaining': '0',
        }
      : {};
    answer(
      429,
      zoomError(
        429,
        'You have reached the maximum per-second rate limit for this API. Try again later.',
      ),
      headers,
    );
  }

  // ---- daily limits (issue 12) ----
  /**
   * A daily cap is spent (docs/zoom.md §4). With headers: the documented example's
   * `X-RateLimit-Type: Daily-limit` and `Retry-After` as the ISO date of the next midnight UTC.
   * Without: the variant observed in the field, only category/limit/remaining and a message
   * naming the reset time.
   */
  private dailyLimitReached(answer: Answer, label: RateLabel, cap: number): void {
    const common = {
      'x-ratelimit-category': LABEL_CATEGORY[label],
      'x-ratelimit-limit': String(cap),
      'x-ratelimit-remaining': '0',
    };
    const headers: Record<string, string> = this.faults.dailyLimitHeaders
      ? {
          ...common,
          'x-ratelimit-type': 'Daily-limit',
          'retry-after': new Date(DailyLimit.resetAt()).toISOString(),
        }
      : common;
    answer(
      429,
      zoomError(
        429,
        `You have reached the maximum daily rate limit for this API. Refer to the response header for details on when you can make another request. You may resume these requests at GMT 00:00:00.`,
      ),
      headers,
    );
  }
  // ---- end daily limits ----

  // ---- POST /v2/chat/users/{userId}/messages (docs/zoom.md §2) -----------------------------------

  private async sendChatMessage(
    answer: Answer,
    sender: string,
    body: () => Promise<string>,
    res: ServerResponse,
  ): Promise<void> {
    if (this.faults.burst429 > 0) {
      this.faults.burst429--;
      return this.tooManyRequests(answer, 'medium', this.limiterLimit('medium'), 1);
    }
    const json = parseJsonObject(await body());
    if (!json) return answer(400, zoomError(300, 'Request Body should be a valid JSON object.'));
    const { message, to_contact: toContact, to_channel: toChannel } = json;
    if (typeof message !== 'string' || message.length === 0) {
      return answer(400, fieldError('message', 'Message is required.'));
    }
    if (message.length > CHAT_MESSAGE_MAX) {
      return answer(
        400,
        fieldError('message', `Message length must not exceed ${CHAT_MESSAGE_MAX} characters.`),
      );
    }
    const hasContact = typeof toContact === 'string' && toContact !== '';
    const hasChannel = typeof toChannel === 'string' && toChannel !== '';
    if (hasContact === hasChannel) {
      return answer(400, zoomError(300, 'Exactly one of to_contact or to_channel is required.'));
    }
    const badContact = hasContact ? refuseNonEmailContact(toContact) : null;
    if (badContact) return answer(400, badContact);
    // The path names the SENDER, an account user; 'me' means nothing to an S2S token (docs/zoom.md §2).
    if (!this.world.findUser(sender)) {
      return answer(404, zoomError(1001, `User does not exist: ${sender}.`));
    }
    // ---- chat permissions (issue 12) ----
    // An account-level app sends on behalf of a user whose role may edit Chat Messages (docs/zoom.md
    // §2). The status and code of the refusal are inferred: 400 with code 200 "No permission." is
    // the answer Zoom gives for a role that lacks a permission elsewhere in its API.
    if (!this.world.canEditChatMessages(sender)) {
      return answer(400, zoomError(CHAT_NO_PERMISSION_CODE, 'No permission.'));
    }
    // ---- end chat permissions ----
    if (hasContact && !this.world.findUser(toContact)) {
      return answer(404, zoomError(1001, 'User does not exist or does not belong to this account'));
    }
    if (hasChannel && !this.world.findChannel(toChannel)) {
      return answer(404, zoomError(4130, `Channel does not exist: ${toChannel}`));
    }
    // ---- chat permissions (issue 12) ----
    // Only a member may post to a channel (docs/zoom.md §2). Status, code and wording are inferred.
    if (hasChannel && !this.world.isChannelMember(toChannel, sender)) {
      return answer(
        400,
        zoomError(
          CHAT_NOT_CHANNEL_MEMBER_CODE,
          'Request to send message failed. Not a channel member.',
        ),
      );
    }
    // ---- end chat permissions ----
    const id = randomUUID();
    this.sent.push({
      id,
      sender,
      ...(hasContact ? { to_contact: toContact } : { to_channel: toChannel as string }),
      message,
      at: Date.now(),
    });
    // Applied, answered late or never: what a slow Zoom (or a slow proxy) looks like to a caller
    // that gives up waiting. The message is out; the caller cannot know it.
    if (this.rng.chance(this.faults.applyThenHangRatio)) return this.hang(res);
    // Applied, then a 5xx: a caller that takes every 5xx for "not applied" posts it twice.
    if (this.rng.chance(this.faults.applyThenServerErrorRatio)) {
      return answer(500, zoomError(500, 'Internal server error. Please try again later.'));
    }
    if (this.faults.answerLateMs > 0) await sleep(this.faults.answerLateMs);
    return answer(201, this.faults.omitMessageId ? {} : { id });
  }

  // ---- GET /v2/chat/users/{userId}/messages ("List user's chat messages", docs/zoom.md §7) ---------

  private listChatMessages(answer: Answer, sender: string, query: URLSearchParams): void {
    if (!hasAnyScope(this.config.scopes, CHAT_READ_SCOPES)) {
      // Zoom's answer for a token without the scope (inferred: code 4711, HTTP 400).
      return answer(
        400,
        zoomError(4711, `Invalid access token, does not contain scopes:[${CHAT_READ_SCOPES[0]}].`),
      );
    }
    const toContact = query.get('to_contact') ?? '';
    const toChannel = query.get('to_channel') ?? '';
    if ((toContact === '') === (toChannel === '')) {
      return answer(400, zoomError(300, 'Exactly one of to_contact or to_channel is required.'));
    }
    if (!this.world.findUser(sender)) {
      return answer(404, zoomError(1001, `User does not exist: ${sender}.`));
    }
    const window = listWindow(query);
    if (!window) return answer(400, zoomError(300, 'Invalid date, from or to.'));
    const requested = Number.parseInt(query.get('page_size') ?? '', 10);
    // Zoom: default 10, maximum 50.
    const pageSize = Number.isFinite(requested) && requested > 0 ? Math.min(requested, 50) : 10;
    const token = query.get('next_page_token') ?? '';
    const offset = token === '' ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Number.isSafeInteger(offset) || offset < 0) {
      return answer(400, zoomError(300, 'Invalid next_page_token.'));
    }
    const senderUser = this.world.findUser(sender);
    const sameSender = (m: SentMessage) => {
      const u = this.world.findUser(m.sender);
      return u !== undefined && u.id === senderUser?.id;
    };
    // The sender's conversation with that contact or channel, newest first (on equal times the
    // later post first: reversed before a stable sort).
    const all = [...this.sent]
      .reverse()
      .filter(
        (m) =>
          sameSender(m) &&
          (toContact !== ''
            ? m.to_contact?.toLowerCase() === toContact.toLowerCase()
            : m.to_channel === toChannel) &&
          m.at >= window.from &&
          m.at < window.to,
      )
      .sort((a, b) => b.at - a.at);
    const page = all.slice(offset, offset + pageSize);
    const next = offset + page.length;
    answer(200, {
      ...(window.date
        ? { date: window.date }
        : { from: zoomTime(window.from), to: zoomTime(window.to) }),
      page_size: pageSize,
      next_page_token: next < all.length ? Buffer.from(String(next)).toString('base64url') : '',
      messages: page.map((m) => ({
        id: m.id,
        message: m.message,
        sender: senderUser?.email ?? m.sender,
        date_time: zoomTime(m.at),
        timestamp: m.at,
        status: m.edited ? 'Edited' : 'Normal',
      })),
    });
  }

  private hang(res: ServerResponse): void {
    this.hung.add(res);
    res.on('close', () => this.hung.delete(res));
  }

  /** An unlimited label still reports a plausible limit: Zoom's Pro value. */
  private limiterLimit(label: RateLabel): number {
    return this.limiter.limitOf(label) ?? PRO_RATE_LIMITS[label];
  }

  // ---- GET /v2/meetings/{meetingId} ----------------------------------------------------------

  private getMeeting(answer: Answer, rawId: string): void {
    const id = decodeURIComponent(rawId);
    const meeting = /^\d+$/.test(id) ? this.findMeeting(id) : undefined;
    if (!meeting) return answer(404, zoomError(3001, `Meeting does not exist: ${id}.`));
    const occurrence = meeting.occurrences.at(-1);
    answer(200, {
      uuid: meeting.uuid,
      id: meeting.id,
      host_id: meeting.host_id,
      host_email: meeting.host_email,
      topic: meeting.topic,
      type: 2,
      status: meeting.status,
      start_time: occurrence?.start_time ?? meeting.created_at,
      duration: 60,
      timezone: 'UTC',
      agenda: '',
      created_at: meeting.created_at,
      join_url: `https://zoom.us/j/${meeting.id}`,
      pre_schedule: false,
      settings: {
        host_video: false,
        participant_video: false,
        join_before_host: false,
        mute_upon_entry: true,
        waiting_room: false,
        approval_type: 2,
        audio: 'both',
        auto_recording: 'none',
        meeting_authentication: false,
        continuous_meeting_chat: {
          enable: meeting.continuousChat,
          auto_add_invited_external_users: false,
          auto_add_meeting_participants: meeting.continuousChat,
          ...(meeting.channel_id ? { channel_id: meeting.channel_id } : {}),
        },
      },
    });
  }

  // ---- GET /v2/metrics/meetings/{meetingId}/participants (docs/zoom.md §5) ----------------------

  private listParticipants(answer: Answer, rawId: string, query: URLSearchParams): void {
    const id = decodeMeetingPathId(rawId);
    const type = query.get('type') ?? 'live';
    if (!['live', 'past', 'pastOne'].includes(type)) {
      return answer(400, zoomError(300, 'Invalid field: type must be one of live, past, pastOne.'));
    }
    const found = id === undefined ? undefined : this.findOccurrence(id, type);
    if (!found) return answer(404, zoomError(3001, `Meeting does not exist: ${id ?? rawId}.`));
    const { meeting, occurrence } = found;

    const requested = Number.parseInt(query.get('page_size') ?? '', 10);
    // Zoom: default 30, maximum 300 (a larger value is capped: inferred).
    const pageSize = Number.isFinite(requested) && requested > 0 ? Math.min(requested, 300) : 30;
    const token = query.get('next_page_token') ?? '';
    const offset = token ? decodePageToken(token, occurrence.uuid) : 0;
    if (offset === undefined) return answer(400, zoomError(300, 'Invalid next_page_token.'));

    const all = occurrence.participants;
    const page = all.slice(offset, offset + pageSize);
    const nextOffset = offset + page.length;
    answer(200, {
      page_count: Math.ceil(all.length / pageSize),
      page_size: pageSize,
      total_records: all.length,
      next_page_token: nextOffset < all.length ? encodePageToken(nextOffset, occurrence.uuid) : '',
      participants: page.map((p) => dashboardParticipant(meeting, p)),
    });
  }

  private findMeeting(id: string): SimMeeting | undefined {
    try {
      return this.world.meeting(id);
    } catch (err: unknown) {
      if (err instanceof SimNotFoundError) return undefined;
      throw err;
    }
  }

  /** A meeting number means its live (or, for past types, last) occurrence; a UUID names one. */
  private findOccurrence(
    id: string,
    type: string,
  ): { meeting: SimMeeting; occurrence: SimOccurrence } | undefined {
    if (!/^\d+$/.test(id)) return this.world.occurrenceByUuid(id);
    const meeting = this.findMeeting(id);
    if (!meeting) return undefined;
    const occurrence = type === 'live' ? this.world.current(meeting) : meeting.occurrences.at(-1);
    return occurrence ? { meeting, occurrence } : undefined;
  }
}

/** "List user's chat messages" needs one of these (the classic name first, then granular). */
const CHAT_READ_SCOPES = [
  'chat_message:read:admin',
  'chat_message:read',
  'team_chat:read:list_user_messages:admin',
];

function hasAnyScope(granted: string[], wanted: string[]): boolean {
  return wanted.some((scope) => granted.includes(scope));
}

/**
 * The time range of a list call: `from`/`to` (date-times) when given, else the whole UTC day of
 * `date` (yyyy-mm-dd, default today). Undefined when a value cannot be read.
 */
function listWindow(
  query: URLSearchParams,
): { from: number; to: number; date?: string } | undefined {
  const from = query.get('from');
  const to = query.get('to');
  if (from !== null || to !== null) {
    const start = from === null ? 0 : Date.parse(from);
    const end = to === null ? Date.now() + 1 : Date.parse(to) + 1;
    return Number.isNaN(start) || Number.isNaN(end) ? undefined : { from: start, to: end };
  }
  const date = query.get('date') ?? new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  const start = Date.parse(`${date}T00:00:00Z`);
  return Number.isNaN(start) ? undefined : { from: start, to: start + 86_400_000, date };
}

function fieldError(field: string, message: string): Record<string, unknown> {
  return { code: 300, message, errors: [{ field, message }] };
}

/**
 * `to_contact` is documented as the contact's email (docs/zoom.md §2); a user id there is not
 * documented, so the simulator refuses anything but an email, with Zoom's field-validation shape
 * (the exact code and text Zoom would use are inferred).
 */
function refuseNonEmailContact(toContact: string): Record<string, unknown> | null {
  if (/^[^@\s]+@[^@\s]+$/.test(toContact)) return null;
  return fieldError('to_contact', 'to_contact must be the email address of a contact.');
}

/**
 * A UUID that starts with '/' or contains '//' must be encoded twice (docs/zoom.md §5). Decoded once,
 * such a value is what Zoom's router mangles, so it matches nothing (undefined); a value that
 * still holds '%' was double-encoded and is decoded again (UUIDs never contain '%').
 */
export function decodeMeetingPathId(rawSegment: string): string | undefined {
  let value: string;
  try {
    value = decodeURIComponent(rawSegment);
    if (value.startsWith('/') || value.includes('//')) return undefined;
    if (value.includes('%')) value = decodeURIComponent(value);
  } catch {
    return undefined;
  }
  return value;
}

function encodePageToken(offset: number, uuid: string): string {
  return Buffer.from(`${offset}:${uuid}`).toString('base64url');
}

function decodePageToken(token: string, uuid: string): number | undefined {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  const colon = text.indexOf(':');
  const offset = Number(text.slice(0, colon));
  return colon > 0 && text.slice(colon + 1) === uuid && Number.isSafeInteger(offset) && offset >= 0
    ? offset
    : undefined;
}

/**
 * One entry of rivet's `DashboardsListMeetingParticipantsResponse`: `id` and
 * `participant_user_id` are the Zoom user id ('' for guests), `user_id` the per-join id.
 */
function dashboardParticipant(meeting: SimMeeting, p: SimParticipant): Record<string, unknown> {
  const present = p.leave_time === undefined;
  return {
    id: p.id,
    user_id: p.user_id,
    participant_uuid: p.participant_uuid,
    participant_user_id: p.id,
    user_name: p.user_name,
    email: p.email,
    join_time: p.join_time,
    ...(present
      ? { status: p.in_waiting_room === true ? 'in_waiting_room' : 'in_meeting' }
      : { leave_time: p.leave_time, leave_reason: p.leave_reason }),
    ...(p.registrant_id !== undefined ? { registrant_id: p.registrant_id } : {}),
    ...(p.customer_key !== undefined ? { customer_key: p.customer_key } : {}),
    role: p.id !== '' && p.id === meeting.host_id ? 'host' : 'attendee',
    device: 'Mac',
    ip_address: '127.0.0.1',
    location: 'Simulated',
    network_type: 'Wired',
    connection_type: 'UDP',
    data_center: 'SIM',
    version: '6.0.0',
    share_application: false,
    share_desktop: false,
    share_whiteboard: false,
    recording: false,
    audio_quality: 'good',
    video_quality: '',
    screen_share_quality: '',
  };
}
