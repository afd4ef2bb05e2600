import type { Participant, ParticipantStatus } from './schemas/participant.schema';

/** The facts of a join record that its presence is derived from. */
export type PresenceFacts = Pick<Participant, 'join_ts' | 'leave_ts' | 'waiting_ts'> & {
  /** Absent on records stored before the waiting room was tracked. */
  waiting_left_ts?: number | null;
};

/** A join record as read: its stored facts, the occurrence's end and the presence they give. */
export type ParticipantView = Participant & {
  /** The occurrence's meeting.ended event_ts: it ends every join not newer than it. */
  ended_ts: number | null;
  status: ParticipantStatus;
};

const NEVER = Number.NEGATIVE_INFINITY;

/**
 * The one rule of presence (docs/architecture.md §9), from the newest event of each kind a join
 * has seen, so it is the same whatever order the events came in. A missing ts counts as minus
 * infinity; on equal ts a leave or the meeting end beats a waiting-room entry, which beats a join.
 * - `left` when the newest leave or the meeting end is not older than the newest join and
 *   waiting-room entry (a record known only from a waiting-room leave is left too);
 * - else `waiting` (in the waiting room, not in the meeting: docs/zoom.md §7) when the newest
 *   waiting-room entry is not older than the newest join, unless a leave of the waiting room not
 *   older than that entry ended the stay (then `left`); such a leave never ends a stay in the
 *   meeting, so an admit (a join) newer than the entry keeps the person in;
 * - else `joined`.
 */
export function presenceOf(r: PresenceFacts, endedTs: number | null): ParticipantStatus {
  const join = r.join_ts ?? NEVER;
  const waiting = r.waiting_ts ?? NEVER;
  const left = Math.max(r.leave_ts ?? NEVER, endedTs ?? NEVER);
  if (left >= Math.max(join, waiting)) return 'left';
  if (waiting >= join) return (r.waiting_left_ts ?? NEVER) >= waiting ? 'left' : 'waiting';
  return 'joined';
}

/** A stored record with its presence, as every read of the participants module sees it. */
export function withPresence(r: Participant, endedTs: number | null): ParticipantView {
  return { ...r, ended_ts: endedTs, status: presenceOf(r, endedTs) };
}
