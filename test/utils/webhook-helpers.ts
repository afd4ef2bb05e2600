/**
 * Helpers for the webhook and participants e2e specs: Zoom-shaped bodies and signatures computed
 * here with node's crypto, independently of the code under test (docs/zoom.md §3).
 */
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { createHmac } from 'node:crypto';
import type { TestApp } from './test-app';

export const TEST_WEBHOOK_SECRET = 'test-webhook-secret';

export function zoomSignature(
  secret: string,
  timestamp: number | string,
  raw: string | Buffer,
): string {
  const hmac = createHmac('sha256', secret);
  hmac.update(`v0:${timestamp}:`);
  hmac.update(raw);
  return `v0=${hmac.digest('hex')}`;
}

export interface PostResult {
  status: number;
  body: unknown;
  text: string;
}

/** POSTs exactly `raw` to the webhook, signed unless told otherwise. */
export async function postWebhook(
  baseUrl: string,
  raw: string | Buffer,
  options: {
    secret?: string;
    timestamp?: number;
    signature?: string | null;
    headers?: Record<string, string>;
  } = {},
): Promise<PostResult> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'x-zm-request-timestamp': String(timestamp),
    ...options.headers,
  };
  const signature =
    options.signature === undefined
      ? zoomSignature(options.secret ?? TEST_WEBHOOK_SECRET, timestamp, raw)
      : options.signature;
  if (signature !== null) headers['x-zm-signature'] = signature;
  const res = await fetch(`${baseUrl}/api/zoom/webhook`, { method: 'POST', headers, body: raw });
  const text = await res.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  return { status: res.status, body, text };
}

export interface TestParticipant {
  user_id: string;
  user_name: string;
  id?: string;
  participant_uuid?: string;
  email?: string;
}

export function participantEvent(
  event: 'joined' | 'left',
  args: {
    meetingId: string;
    uuid: string;
    ts: number;
    participant: TestParticipant;
    webinar?: boolean;
  },
): Record<string, unknown> {
  const p = args.participant;
  const time = new Date(args.ts).toISOString();
  return {
    event: `${args.webinar ? 'webinar' : 'meeting'}.participant_${event}`,
    event_ts: args.ts,
    payload: {
      account_id: 'acc-1',
      object: {
        id: args.meetingId,
        uuid: args.uuid,
        host_id: 'host-1',
        topic: 'Test meeting',
        type: args.webinar ? 5 : 2,
        participant: {
          user_id: p.user_id,
          user_name: p.user_name,
          id: p.id ?? '',
          participant_uuid: p.participant_uuid ?? '',
          email: p.email ?? '',
          participant_user_id: p.id ?? '',
          ...(event === 'joined'
            ? { join_time: time }
            : { leave_time: time, leave_reason: 'left the meeting' }),
        },
      },
    },
  };
}

/** Waiting-room events (docs/zoom.md §7): the ids of a join, `date_time` instead of join_time. */
export type WaitingRoomAction =
  | 'participant_joined_waiting_room'
  | 'participant_left_waiting_room'
  | 'participant_admitted'
  | 'participant_put_in_waiting_room';

export function waitingRoomEvent(
  action: WaitingRoomAction,
  args: { meetingId: string; uuid: string; ts: number; participant: TestParticipant },
): Record<string, unknown> {
  const body = participantEvent('joined', args);
  const object = (body.payload as { object: { participant: Record<string, unknown> } }).object;
  const { join_time: _joinTime, ...ids } = object.participant;
  object.participant = { ...ids, date_time: new Date(args.ts).toISOString() };
  return { ...body, event: `meeting.${action}` };
}

export function meetingEvent(
  event: 'started' | 'ended',
  args: { meetingId: string; uuid: string; ts: number; webinar?: boolean },
): Record<string, unknown> {
  const object: Record<string, unknown> = {
    id: args.meetingId,
    uuid: args.uuid,
    host_id: 'host-1',
    topic: 'Test meeting',
    type: args.webinar ? 5 : 2,
    start_time: new Date(args.ts).toISOString(),
  };
  if (event === 'ended') object.end_time = new Date(args.ts).toISOString();
  return {
    event: `${args.webinar ? 'webinar' : 'meeting'}.${event}`,
    event_ts: args.ts,
    payload: { account_id: 'acc-1', object },
  };
}

export function connectionOf(t: TestApp): Connection {
  return t.app.get<Connection>(getConnectionToken());
}

/** Documents in the collections the webhook writes: a rejected request must change neither. */
export async function countStored(
  t: TestApp,
): Promise<{ participants: number; occurrences: number }> {
  const db = connectionOf(t).db;
  if (!db) throw new Error('no database');
  const [participants, occurrences] = await Promise.all([
    db.collection('participants').countDocuments(),
    db.collection('meeting_occurrences').countDocuments(),
  ]);
  return { participants, occurrences };
}
