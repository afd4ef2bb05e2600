/**
 * Zoom's participant and meeting webhooks, reduced to what presence needs. The webhook module
 * builds these from `meeting.*` and `webinar.*` payloads (same shape, docs/zoom.md §3); the sync
 * builds them from Zoom's live participant list.
 */
export type MeetingKind = 'meeting' | 'webinar';

export interface ParticipantIdentity {
  /** Per-join id (changes on every rejoin, docs/zoom.md §3). */
  user_id: string | null;
  /** Per-join uuid, when Zoom sends one. */
  participant_uuid: string | null;
  /** Zoom account user id (`participant.id` / `participant_user_id`); null for guests. */
  zoom_user_id: string | null;
  name: string;
  email: string | null;
  raw_data: Record<string, unknown> | null;
}

export interface ParticipantEvent {
  /**
   * `waiting`: entered the waiting room (joined it, or put back by the host), not the meeting
   * (docs/zoom.md §7). An admit is a `joined`. `waiting_left`: left the waiting room, which ends
   * a stay there but never a stay in the meeting (Zoom may send it around an admit too).
   */
  kind: 'joined' | 'left' | 'waiting' | 'waiting_left';
  meetingId: string;
  meetingUuid: string;
  meetingKind: MeetingKind;
  /** Zoom's `event_ts` (ms): the only order there is (docs/zoom.md §3). */
  ts: number;
  /** join_time for a join, leave_time for a leave, date_time for a waiting-room event. */
  time: Date | null;
  participant: ParticipantIdentity;
}

export interface OccurrenceEvent {
  kind: 'started' | 'ended';
  meetingId: string;
  meetingUuid: string;
  meetingKind: MeetingKind;
  ts: number;
  topic: string | null;
  hostId: string | null;
  startTime: Date | null;
  endTime: Date | null;
}

/** The join key of docs/architecture.md §3: participant_uuid, else user_id. */
export function participantKey(p: ParticipantIdentity): string | null {
  return p.participant_uuid ?? p.user_id;
}

/** One person, one entry: Zoom user id, else lower-cased email, else the join key. */
export function personKey(p: ParticipantIdentity, joinKey: string): string {
  return p.zoom_user_id ?? (p.email !== null ? p.email.toLowerCase() : null) ?? joinKey;
}
