import { createHmac, randomBytes } from 'node:crypto';
import { zoomTime } from './http';
import type { SeededRandom } from './prng';
import type {
  SimMeeting,
  SimOccurrence,
  SimParticipant,
  WebhookDelivery,
  WebhookEvent,
} from './types';

/** Zoom gives an endpoint 3 seconds before it counts the delivery as failed (docs/zoom.md §3). */
export const ZOOM_WEBHOOK_TIMEOUT_MS = 3000;

export interface WebhookHeaders {
  'x-zm-signature': string;
  'x-zm-request-timestamp': string;
  'x-zm-trackingid': string;
}

export interface WebhookBody {
  event: WebhookEvent;
  event_ts: number;
  payload: Record<string, unknown>;
}

/** Overrides for webhookPayload(): a fixed event_ts, extra `object` fields, a chosen plainToken. */
export interface WebhookExtra {
  event_ts?: number;
  object?: Record<string, unknown>;
  plainToken?: string;
}

export interface WebhookResult {
  status: number;
  body: string;
  ms: number;
}

/** Zoom's tracking id format: `v=2.0;clid=<cluster>;rid=<request id>` (format inferred from captures). */
export function trackingId(prefix: 'WEB' | 'WEBHOOK'): string {
  return `v=2.0;clid=sim1;rid=${prefix}_${randomBytes(16).toString('hex')}`;
}

/** `v0=hex(HMAC_SHA256(secret, "v0:" + ts + ":" + rawBody))` over the exact bytes sent (docs/zoom.md §3). */
export function webhookSignature(
  secret: string,
  rawBody: string,
  timestampSeconds: number,
): string {
  const digest = createHmac('sha256', secret)
    .update(`v0:${timestampSeconds}:${rawBody}`)
    .digest('hex');
  return `v0=${digest}`;
}

export function signWebhook(
  secret: string,
  rawBody: string,
  timestampSeconds: number = Math.floor(Date.now() / 1000),
): WebhookHeaders {
  return {
    'x-zm-signature': webhookSignature(secret, rawBody, timestampSeconds),
    'x-zm-request-timestamp': String(timestampSeconds),
    'x-zm-trackingid': trackingId('WEBHOOK'),
  };
}

/** The answer Zoom expects to `endpoint.url_validation` (docs/zoom.md §3). */
export function urlValidationAnswer(
  secret: string,
  plainToken: string,
): { plainToken: string; encryptedToken: string } {
  return {
    plainToken,
    encryptedToken: createHmac('sha256', secret).update(plainToken).digest('hex'),
  };
}

/** True when `responseBody` is the correct answer to a url_validation carrying `plainToken`. */
export function isValidUrlValidationResponse(
  secret: string,
  plainToken: string,
  responseBody: string,
): boolean {
  try {
    const parsed = JSON.parse(responseBody) as { plainToken?: unknown; encryptedToken?: unknown };
    const expected = urlValidationAnswer(secret, plainToken);
    return (
      parsed.plainToken === expected.plainToken && parsed.encryptedToken === expected.encryptedToken
    );
  } catch {
    return false;
  }
}

/** Meeting type codes in Zoom's payloads: 2 = scheduled meeting, 5 = webinar. */
function meetingObject(meeting: SimMeeting, occurrence: SimOccurrence): Record<string, unknown> {
  return {
    id: String(meeting.id),
    uuid: occurrence.uuid,
    host_id: meeting.host_id,
    topic: meeting.topic,
    type: meeting.webinar ? 5 : 2,
    start_time: occurrence.start_time,
    timezone: 'UTC',
    duration: 60,
  };
}

/**
 * The participant object of rivet's `MeetingParticipantJoinedEvent` / `...LeftEvent`: join_time
 * on joins, leave_time + leave_reason on leaves; optional keys only when the person has them.
 */
function participantObject(p: SimParticipant, left: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    user_id: p.user_id,
    user_name: p.user_name,
    id: p.id,
    participant_uuid: p.participant_uuid,
  };
  if (left) {
    out.leave_time = p.leave_time ?? zoomTime();
    out.leave_reason = p.leave_reason ?? `${p.user_name} left the meeting.`;
  } else {
    out.join_time = p.join_time;
  }
  out.email = p.email;
  if (p.registrant_id !== undefined) out.registrant_id = p.registrant_id;
  out.participant_user_id = p.id;
  if (p.customer_key !== undefined) out.customer_key = p.customer_key;
  if (p.phone_number !== undefined) out.phone_number = p.phone_number;
  return out;
}

const WAITING_ROOM_KINDS = new Set([
  'participant_joined_waiting_room',
  'participant_left_waiting_room',
  'participant_admitted',
  'participant_put_in_waiting_room',
]);

/**
 * The participant object of rivet's waiting-room events (docs/zoom.md §7): the same ids as a
 * join, with `date_time` (the moment of the event) instead of join_time / leave_time.
 */
function waitingRoomParticipantObject(p: SimParticipant): Record<string, unknown> {
  const {
    join_time: _join,
    leave_time: _leave,
    leave_reason: _reason,
    ...ids
  } = participantObject(p, false);
  return { ...ids, date_time: zoomTime() };
}

export function buildWebhookBody(args: {
  event: WebhookEvent;
  accountId: string;
  eventTs: number;
  meeting?: SimMeeting;
  occurrence?: SimOccurrence;
  participant?: SimParticipant;
  extra?: WebhookExtra;
}): WebhookBody {
  const { event, accountId, meeting, occurrence, participant, extra } = args;
  const eventTs = extra?.event_ts ?? args.eventTs;
  if (event === 'endpoint.url_validation') {
    const plainToken = extra?.plainToken ?? randomBytes(16).toString('base64url');
    return { event, event_ts: eventTs, payload: { plainToken } };
  }
  if (!meeting || !occurrence) throw new Error(`${event} needs a meeting with an occurrence`);
  const object = meetingObject(meeting, occurrence);
  const kind = event.split('.')[1];
  if (kind === 'ended') object.end_time = occurrence.end_time ?? zoomTime();
  if (kind === 'participant_joined' || kind === 'participant_left') {
    if (!participant) throw new Error(`${event} needs a participant`);
    object.participant = participantObject(participant, kind === 'participant_left');
  }
  if (WAITING_ROOM_KINDS.has(kind)) {
    if (!participant) throw new Error(`${event} needs a participant`);
    object.participant = waitingRoomParticipantObject(participant);
  }
  Object.assign(object, extra?.object);
  return { event, event_ts: eventTs, payload: { account_id: accountId, object } };
}

/**
 * POSTs one signed webhook the way Zoom does; never throws (status 0 = no answer within Zoom's
 * 3 s, or a network error). The caller's signal aborts it early (close()).
 */
export async function deliverWebhook(
  targetUrl: string,
  rawBody: string,
  headers: WebhookHeaders,
  signal?: AbortSignal,
): Promise<WebhookResult> {
  const started = performance.now();
  // One controller per delivery, listener removed after: AbortSignal.any() would pile listeners
  // on the long-lived close() signal during a burst of thousands of events.
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new Error(`no answer within ${ZOOM_WEBHOOK_TIMEOUT_MS} ms`)),
    ZOOM_WEBHOOK_TIMEOUT_MS,
  );
  const onAbort = (): void => controller.abort(new Error('simulator closed'));
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const res = await fetch(targetUrl, {
      method: 'POST',
      headers: {
        ...headers,
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'Zoom Marketplace/1.0a',
      },
      body: rawBody,
      signal: controller.signal,
    });
    const body = await res.text();
    return { status: res.status, body, ms: performance.now() - started };
  } catch (err: unknown) {
    const message = err instanceof Error ? err.message : String(err);
    return { status: 0, body: message, ms: performance.now() - started };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

export interface WebhookTargetOptions {
  /** Fraction of events delivered twice (Zoom's at-least-once delivery, docs/zoom.md §3). */
  duplicateRatio?: number;
  /**
   * Deliver events shuffled within groups of this many (Zoom's unordered delivery, docs/zoom.md §3);
   * with a larger `concurrency`, the group is that size.
   */
  shuffleWindow?: number;
  /**
   * Deliveries in flight at once (default 1: one after another, in order). Zoom posts events
   * concurrently, so a value above 1 exposes races between handlers of the same person.
   */
  concurrency?: number;
}

interface QueuedWebhook {
  body: WebhookBody;
  raw: string;
  duplicate: boolean;
}

/**
 * Delivers emitted events to the configured target, one at a time and in emission order unless
 * shuffling or concurrency is asked for. Delivery starts on the next macrotask, so events emitted in one
 * synchronous burst (a loop of join()) land in the same shuffle window.
 */
export class WebhookEmitter {
  private target: string | null = null;
  private options: WebhookTargetOptions = {};
  private queue: QueuedWebhook[] = [];
  /** Events whose last delivery got no 2xx: what a Zoom retry would send again. */
  private failed: QueuedWebhook[] = [];
  private running: Promise<void> | null = null;
  private readonly log: WebhookDelivery[] = [];
  private readonly abort = new AbortController();

  constructor(
    private readonly sign: (raw: string) => WebhookHeaders,
    private readonly rng: SeededRandom,
  ) {}

  setTarget(url: string | null, options: WebhookTargetOptions = {}): void {
    this.target = url;
    this.options = options;
  }

  get hasTarget(): boolean {
    return this.target !== null;
  }

  emit(body: WebhookBody): void {
    this.emitQueued({ body, raw: JSON.stringify(body), duplicate: false });
  }

  private emitQueued(item: QueuedWebhook): void {
    if (!this.target || this.abort.signal.aborted) return;
    this.queue.push(item);
    this.running ??= this.pump().finally(() => {
      this.running = null;
    });
  }

  async flush(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Queues every event whose last delivery failed once more (a Zoom retry); how many. */
  retryFailed(): number {
    const again = this.failed.map((item) => ({ ...item, duplicate: false }));
    this.failed = [];
    for (const item of again) this.emitQueued(item);
    return again.length;
  }

  deliveries(): WebhookDelivery[] {
    return [...this.log];
  }

  clearLog(): void {
    this.log.length = 0;
  }

  /** Drops what is queued and aborts what is in flight. */
  async close(): Promise<void> {
    this.queue = [];
    this.abort.abort();
    await this.flush();
  }

  private async pump(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.queue.length > 0 && !this.abort.signal.aborted) {
      const window = Math.max(1, Math.floor(this.options.shuffleWindow ?? 1));
      const workers = Math.max(1, Math.floor(this.options.concurrency ?? 1));
      const batch: QueuedWebhook[] = [];
      for (const item of this.queue.splice(0, Math.max(window, workers))) {
        batch.push(item);
        if (this.rng.chance(this.options.duplicateRatio ?? 0))
          batch.push({ ...item, duplicate: true });
      }
      if (window > 1) this.rng.shuffle(batch);
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < batch.length) {
          await this.deliver(batch[next++]);
        }
      };
      await Promise.all(Array.from({ length: Math.min(workers, batch.length) }, worker));
    }
  }

  private async deliver(item: QueuedWebhook): Promise<void> {
    const target = this.target;
    if (!target || this.abort.signal.aborted) return;
    const at = Date.now();
    // A fresh timestamp and signature per attempt, as a Zoom retry carries (docs/zoom.md §3).
    const result = await deliverWebhook(target, item.raw, this.sign(item.raw), this.abort.signal);
    if ((result.status < 200 || result.status >= 300) && !this.abort.signal.aborted) {
      this.failed.push(item);
    }
    this.log.push({
      event: item.body.event,
      event_ts: item.body.event_ts,
      target,
      status: result.status,
      ms: result.ms,
      duplicate: item.duplicate,
      at,
    });
  }
}
