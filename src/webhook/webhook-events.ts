import { BadRequestException } from '@nestjs/common';
import { isMeetingNumber } from '../zoom/meeting-id';
import type {
  MeetingKind,
  OccurrenceEvent,
  ParticipantEvent,
  ParticipantIdentity,
} from '../participants/participant-events';

/**
 * `meetingId` is null when Zoom left `object.id` out (optional in rivet on participant events,
 * docs/zoom.md §3): the receiver resolves it from the stored occurrence of `meetingUuid`.
 */
export type WithoutMeetingId<T extends { meetingId: string }> = Omit<T, 'meetingId'> & {
  meetingId: string | null;
};

export type ZoomWebhook =
  | { type: 'url_validation'; event: string; plainToken: string }
  | { type: 'participant'; event: string; data: WithoutMeetingId<ParticipantEvent> }
  | { type: 'occurrence'; event: string; data: WithoutMeetingId<OccurrenceEvent> }
  /** A handled event name whose body lacks what acting on it needs; `reason` names fields only. */
  | { type: 'unusable'; event: string; reason: string }
  | { type: 'ignored'; event: string };

type Json = Record<string, unknown>;

type HandledAction =
  | { type: 'participant'; kind: ParticipantEvent['kind'] }
  | { type: 'occurrence'; kind: OccurrenceEvent['kind'] };

/**
 * The `meeting.*` / `webinar.*` actions acted on. A Map, not an object literal: the name comes
 * from the request, and a plain object would also answer inherited names (`meeting.constructor`,
 * `webinar.__proto__`) with Object built-ins.
 */
const HANDLED_ACTIONS = new Map<string, HandledAction>([
  ['participant_joined', { type: 'participant', kind: 'joined' }],
  ['participant_left', { type: 'participant', kind: 'left' }],
  // Waiting room (docs/zoom.md §7): in it is not in the meeting; an admit enters the meeting.
  ['participant_joined_waiting_room', { type: 'participant', kind: 'waiting' }],
  ['participant_put_in_waiting_room', { type: 'participant', kind: 'waiting' }],
  ['participant_admitted', { type: 'participant', kind: 'joined' }],
  ['participant_left_waiting_room', { type: 'participant', kind: 'waiting_left' }],
  ['started', { type: 'occurrence', kind: 'started' }],
  ['ended', { type: 'occurrence', kind: 'ended' }],
]);

/** Zoom's participant fields worth keeping for debugging; never the whole body (docs/architecture.md §10). */
const RAW_PARTICIPANT_FIELDS = [
  'user_id',
  'user_name',
  'id',
  'participant_uuid',
  'participant_user_id',
  'email',
  'join_time',
  'leave_time',
  'leave_reason',
  'date_time',
  'registrant_id',
  'customer_key',
] as const;

const MAX_NAME = 200;
const MAX_ID = 200;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function bad(message: string): never {
  throw new BadRequestException(`Malformed Zoom webhook: ${message}`);
}

/** A correctly signed, known event we cannot act on: acknowledged, not retried (docs/zoom.md §3). */
class Unusable extends Error {}

function unusable(reason: string): never {
  throw new Unusable(reason);
}

/** Zoom sends some ids as numbers and some as strings; empty means absent (guests, docs/zoom.md §3). */
function optionalId(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed.slice(0, MAX_ID);
}

function optionalTime(value: unknown): Date | null {
  if (typeof value !== 'string' || value === '') return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms);
}

function optionalEmail(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed.length > 0 && trimmed.length <= 320 && trimmed.includes('@') ? trimmed : null;
}

function rawParticipant(participant: Json): Json {
  const raw: Json = {};
  for (const field of RAW_PARTICIPANT_FIELDS) {
    const value = participant[field];
    if (typeof value === 'string' || typeof value === 'number') raw[field] = value;
  }
  return raw;
}

function identityOf(participant: Json): ParticipantIdentity {
  const userId = optionalId(participant.user_id);
  const participantUuid = optionalId(participant.participant_uuid);
  if (userId === null && participantUuid === null) {
    unusable('payload.object.participant has neither participant_uuid nor user_id');
  }
  const name = typeof participant.user_name === 'string' ? participant.user_name.trim() : '';
  return {
    user_id: userId,
    participant_uuid: participantUuid,
    // Either field carries the Zoom account user id; both are empty for guests (docs/zoom.md §3).
    zoom_user_id: optionalId(participant.id) ?? optionalId(participant.participant_user_id),
    name: name.slice(0, MAX_NAME),
    email: optionalEmail(participant.email),
    raw_data: rawParticipant(participant),
  };
}

/**
 * Turns a verified webhook body into what the app acts on. `meeting.*` and `webinar.*` events
 * share one shape (docs/zoom.md §3). A body that is not an event at all is a 400. A known event
 * with fields missing is `unusable`, never a 400: Zoom retries a refused event and then stops
 * sending it (docs/zoom.md §3), and a retry would carry the same body. Unknown events are ignored.
 */
export function parseZoomWebhook(body: unknown): ZoomWebhook {
  if (!isObject(body)) bad('the body is not a JSON object');
  const event = body.event;
  if (typeof event !== 'string' || event === '') bad('"event" is missing');
  const payload = isObject(body.payload) ? body.payload : null;

  if (event === 'endpoint.url_validation') {
    const plainToken = payload?.plainToken;
    if (typeof plainToken !== 'string' || plainToken === '' || plainToken.length > 512) {
      bad('payload.plainToken is missing');
    }
    return { type: 'url_validation', event, plainToken };
  }

  const match = /^(meeting|webinar)\.([a-z_]+)$/.exec(event);
  const action = match?.[2] ?? '';
  const handled = HANDLED_ACTIONS.get(action);
  if (!match || handled === undefined) return { type: 'ignored', event };
  const meetingKind: MeetingKind = match[1] === 'webinar' ? 'webinar' : 'meeting';
  try {
    return parseMeetingEvent(event, handled, meetingKind, body.event_ts, payload);
  } catch (error: unknown) {
    if (error instanceof Unusable) return { type: 'unusable', event, reason: error.message };
    throw error;
  }
}

function parseMeetingEvent(
  event: string,
  handled: HandledAction,
  meetingKind: MeetingKind,
  ts: unknown,
  payload: Json | null,
): ZoomWebhook {
  // event_ts is the only order there is (docs/zoom.md §3): without it the event cannot be placed.
  if (typeof ts !== 'number' || !Number.isSafeInteger(ts) || ts <= 0) {
    unusable('"event_ts" is not a positive integer (ms)');
  }
  const object = payload && isObject(payload.object) ? payload.object : null;
  if (!object) unusable('payload.object is missing');
  const id = optionalId(object.id);
  // Not a meeting number (or absent): resolved through the occurrence uuid by the receiver.
  const meetingId = isMeetingNumber(id) ? id : null;
  const meetingUuid = optionalId(object.uuid);
  if (meetingUuid === null) unusable('payload.object.uuid is missing');

  if (handled.type === 'participant') {
    const participantKind = handled.kind;
    const participant = isObject(object.participant) ? object.participant : null;
    if (!participant) unusable('payload.object.participant is missing');
    return {
      type: 'participant',
      event,
      data: {
        kind: participantKind,
        meetingId,
        meetingUuid,
        meetingKind,
        ts,
        // Waiting-room events carry date_time instead of join_time/leave_time (docs/zoom.md §7).
        time: optionalTime(
          participant.date_time ??
            (participantKind === 'joined' ? participant.join_time : participant.leave_time),
        ),
        participant: identityOf(participant),
      },
    };
  }
  return {
    type: 'occurrence',
    event,
    data: {
      kind: handled.kind,
      meetingId,
      meetingUuid,
      meetingKind,
      ts,
      topic: typeof object.topic === 'string' ? object.topic.slice(0, MAX_NAME) : null,
      hostId: optionalId(object.host_id),
      startTime: optionalTime(object.start_time),
      endTime: optionalTime(object.end_time),
    },
  };
}
