/** Shapes shared by the simulator's state, its HTTP handlers and its public API. */

/** Zoom's rate-limit labels (docs/zoom.md §4); the per-second ones are the ones this product hits. */
export type RateLabel = 'light' | 'medium' | 'heavy';

/** Requests per second per label; a missing or 0 entry means unlimited. */
export type RateLimits = Partial<Record<RateLabel, number>>;

export type RetryAfterFormat = 'seconds' | 'http-date';

export interface ZoomSimulatorOptions {
  /** 0 = a free port (default). */
  port?: number;
  accountId?: string;
  clientId?: string;
  clientSecret?: string;
  webhookSecretToken?: string;
  /** Lifetime of issued tokens; Zoom's is 3600 s (docs/zoom.md §1). */
  tokenTtlSeconds?: number;
  /** Scopes reported in the token answer. */
  scopes?: string[];
  /** Replaces the Pro defaults wholesale: a label left out is unlimited. */
  rateLimits?: RateLimits;
  /** Daily caps per label (none by default); see ZoomSimulatorFaults.dailyLimits. */
  dailyLimits?: RateLimits;
  /** true (default): a 429 carries Retry-After and X-RateLimit-*; false: a bare 429 (docs/zoom.md §4). */
  retryAfterHeader?: boolean;
  /** Retry-After as whole seconds (default) or as an HTTP date: Zoom may send either (docs/zoom.md §4). */
  retryAfterFormat?: RetryAfterFormat;
  latencyMs?: number;
  serverErrorRatio?: number;
  seed?: number;
  /**
   * Milliseconds for the per-second rate limits; default Date.now. A test that must know exactly
   * which requests a limit refuses freezes it, so load on the machine cannot refill the bucket.
   */
  rateClock?: () => number;
}

export interface ZoomSimulatorFaults {
  latencyMs?: number;
  serverErrorRatio?: number;
  rateLimits?: RateLimits;
  retryAfterHeader?: boolean;
  retryAfterFormat?: RetryAfterFormat;
  /** Fraction of /v2 requests that are never answered (until close()). */
  hangRatio?: number;
  /** The next N chat sends are answered 429, whatever the rate. */
  burst429?: number;
  /**
   * Chat sends are applied (the message is out) at once and answered this many ms later: a
   * caller whose timeout is shorter sees no answer for a message that did land. 0 = off.
   */
  answerLateMs?: number;
  /** Fraction of chat sends that are applied and then never answered (until close()). */
  applyThenHangRatio?: number;
  /**
   * Fraction of chat sends that are applied (the message is out) and then answered 500: a Zoom
   * that fails after the write, which a caller cannot tell from a 5xx that did not apply.
   */
  applyThenServerErrorRatio?: number;
  /** Chat sends are applied and answered 201 with an empty body (no message id). */
  omitMessageId?: boolean;
  /**
   * Requests per label per UTC day (docs/zoom.md §4); a label left out is uncapped. Over the cap,
   * a 429 that says "daily" (see dailyLimitHeaders). Replaces the whole table and today's counts.
   */
  dailyLimits?: RateLimits;
  /**
   * true (default): a daily 429 carries `X-RateLimit-Type: Daily-limit` and `Retry-After` as the
   * ISO date of the next midnight UTC; false: neither header, only a message naming the reset
   * time, as has been observed (docs/zoom.md §4).
   */
  dailyLimitHeaders?: boolean;
}

export interface ZoomUser {
  id: string;
  email: string;
  name: string;
}

export interface SimChannel {
  id: string;
  name: string;
  /**
   * Account user ids of the channel's members: Zoom lets only a member post to a channel
   * (docs/zoom.md §2). A meeting's continuous-chat channel starts with its host.
   */
  members: string[];
}

export interface SimParticipant {
  /** Per-join id Zoom calls `user_id` (docs/zoom.md §3): new on every join. */
  user_id: string;
  /** Per-join UUID. */
  participant_uuid: string;
  /** Zoom account user id (`participant.id` / `participant_user_id`): '' for guests. */
  id: string;
  user_name: string;
  email: string;
  join_time: string;
  leave_time?: string;
  leave_reason?: string;
  registrant_id?: string;
  customer_key?: string;
  phone_number?: string;
  /** The occurrence joined. */
  meeting_uuid: string;
  /** In the meeting's waiting room now: not in the meeting (docs/zoom.md §7). */
  in_waiting_room?: boolean;
}

export interface SimOccurrence {
  uuid: string;
  start_time: string;
  end_time?: string;
  participants: SimParticipant[];
}

export interface SimMeeting {
  /** The meeting number people type (docs/zoom.md §3). */
  id: number;
  /** The current (or last) occurrence's UUID; a fresh one per startMeeting(). */
  uuid: string;
  topic: string;
  host_id: string;
  host_email: string;
  /** Webinars emit the webinar.* twins of every event. */
  webinar: boolean;
  continuousChat: boolean;
  /** Team Chat channel of the continuous meeting chat (docs/zoom.md §2), when enabled. */
  channel_id?: string;
  created_at: string;
  status: 'waiting' | 'started';
  occurrences: SimOccurrence[];
}

export interface SentMessage {
  id: string;
  /** The `{userId}` path value as sent (id or email of the sender). */
  sender: string;
  to_contact?: string;
  to_channel?: string;
  message: string;
  /** Epoch ms when accepted. */
  at: number;
  /** Changed after it was sent (editMessage): listed with the new text and status "Edited". */
  edited?: boolean;
}

export interface RecordedRequest {
  method: string;
  /** Raw path as received, query string excluded. */
  path: string;
  /** 0 while unanswered (a hung request stays 0). */
  status: number;
  label: RateLabel | null;
  /** Epoch ms of arrival. */
  at: number;
  /** Epoch ms when the per-second meter counted it (absent: refused, or never metered). */
  acceptedAt?: number;
}

/** The most requests of one label the per-second meter let through in any window of a length. */
export interface BusiestWindow {
  /** Requests accepted within [startsAt, startsAt + windowMs). */
  count: number;
  /** Epoch ms of the first request of that window (null when there were none). */
  startsAt: number | null;
  windowMs: number;
}

export interface WebhookDelivery {
  event: string;
  event_ts: number;
  target: string;
  /** HTTP status, or 0 when the target did not answer (network error or 3 s timeout). */
  status: number;
  ms: number;
  duplicate: boolean;
  at: number;
}

export type WebhookEvent =
  | 'meeting.started'
  | 'meeting.ended'
  | 'meeting.participant_joined'
  | 'meeting.participant_left'
  | 'webinar.started'
  | 'webinar.ended'
  | 'webinar.participant_joined'
  | 'webinar.participant_left'
  | WaitingRoomEvent
  | 'endpoint.url_validation';

/** Waiting-room events (rivet `meetings/meetings.d.ts`, docs/zoom.md §7): `date_time`, no join_time. */
export type WaitingRoomEvent =
  | 'meeting.participant_joined_waiting_room'
  | 'meeting.participant_left_waiting_room'
  | 'meeting.participant_admitted'
  | 'meeting.participant_put_in_waiting_room';
