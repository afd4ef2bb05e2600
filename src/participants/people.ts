import type { ParticipantRecord } from './participants.repository';

/** One person in a meeting occurrence, however many times they joined (docs/architecture.md §3: one person = one recipient). */
export interface MeetingPerson {
  person_key: string;
  name: string;
  email: string | null;
  zoom_user_id: string | null;
  reachable: boolean;
  unreachable_reason: string | null;
  join_time: Date | null;
  leave_time: Date | null;
  /** waiting: in the waiting room, not in the meeting (docs/zoom.md §7). */
  status: 'joined' | 'left' | 'waiting';
}

/** Team Chat reaches Zoom users and contacts by email only; guests have neither (docs/zoom.md §2). */
export const GUEST_UNREACHABLE_REASON =
  'Joined as a guest without a Zoom account or email: Team Chat cannot reach them';

/**
 * Signed in, but Zoom gave no email (privacy settings, HIPAA accounts: docs/zoom.md §3, §5).
 * `to_contact` is documented as an email; that it takes a Zoom user id is not (docs/zoom.md §2),
 * so the service does not guess.
 */
export const NO_EMAIL_UNREACHABLE_REASON =
  'Zoom gave no email for them: Team Chat messages go to an email address, and Zoom does not document sending to a user id';

export interface OccurrenceEnd {
  end_time: Date | null;
}

const NEVER = Number.NEGATIVE_INFINITY;

/**
 * When a join ended by leaving: its participant_left, or else the participant_left_waiting_room
 * that closed it (a stay in the waiting room, not newer than that leave, that was its newest
 * state; presenceOf in presence.ts). Null while open, or if only the meeting end closed it.
 */
function leaveTsOf(r: ParticipantRecord): number | null {
  if (r.leave_ts !== null) return r.leave_ts;
  const wl = r.waiting_left_ts ?? null;
  const waited = r.waiting_ts;
  const endedWaiting =
    r.status === 'left' &&
    wl !== null &&
    waited !== null &&
    wl >= waited &&
    (r.join_ts ?? NEVER) <= waited;
  return endedWaiting ? wl : null;
}

/** Newest join first; a record known only from its leave sorts by that leave. */
function byRecency(a: ParticipantRecord, b: ParticipantRecord): number {
  const joinA = a.join_ts ?? NEVER;
  const joinB = b.join_ts ?? NEVER;
  if (joinA !== joinB) return joinB - joinA;
  const leaveA = leaveTsOf(a) ?? NEVER;
  const leaveB = leaveTsOf(b) ?? NEVER;
  if (leaveA !== leaveB) return leaveB - leaveA;
  return a.participant_key < b.participant_key ? -1 : a.participant_key > b.participant_key ? 1 : 0;
}

/**
 * When a left join ended: at its own leave or at the meeting end, whichever came first among
 * those not older than the join (a leave older than the join belongs to nothing).
 */
function effectiveLeaveTime(r: ParticipantRecord, occurrence: OccurrenceEnd): Date | null {
  const join = r.join_ts ?? NEVER;
  const left = leaveTsOf(r);
  const leave = left !== null && left >= join ? left : null;
  const ended = r.ended_ts !== null && r.ended_ts >= join ? r.ended_ts : null;
  if (leave !== null && (ended === null || leave <= ended)) {
    // A waiting-room leave keeps only its event_ts (leave_time is a participant_left's).
    return (r.leave_ts === leave ? r.leave_time : null) ?? new Date(leave);
  }
  if (ended !== null) return occurrence.end_time ?? new Date(ended);
  return null;
}

/**
 * Folds the joins of one person (same person_key, same occurrence) into one entry. A pure
 * function of the records, so it inherits their order-independence. Joined if any join is open;
 * name and join time from the newest open join (or the newest join, if none is open).
 */
export function toPerson(records: ParticipantRecord[], occurrence: OccurrenceEnd): MeetingPerson {
  if (records.length === 0) throw new Error('toPerson needs at least one record');
  const sorted = [...records].sort(byRecency);
  const open = sorted.filter((r) => r.status === 'joined');
  const waiting = sorted.filter((r) => r.status === 'waiting');
  // In the meeting if any join is open; else in the waiting room if any join waits there.
  const status = open.length > 0 ? 'joined' : waiting.length > 0 ? 'waiting' : 'left';
  const basis = open[0] ?? waiting[0] ?? sorted[0];
  const zoomUserId = sorted.find((r) => r.zoom_user_id !== null)?.zoom_user_id ?? null;
  const email = sorted.find((r) => r.email !== null)?.email ?? null;
  const name = basis.name || (sorted.find((r) => r.name !== '')?.name ?? '');

  let leaveTime: Date | null = null;
  if (status === 'left') {
    for (const r of sorted) {
      const t = effectiveLeaveTime(r, occurrence);
      if (t !== null && (leaveTime === null || t > leaveTime)) leaveTime = t;
    }
  }
  // to_contact is an email (docs/zoom.md §2): no email, no message.
  const reachable = email !== null;
  return {
    person_key: basis.person_key,
    name,
    email,
    zoom_user_id: zoomUserId,
    reachable,
    unreachable_reason: reachable
      ? null
      : zoomUserId !== null
        ? NO_EMAIL_UNREACHABLE_REASON
        : GUEST_UNREACHABLE_REASON,
    join_time: basis.join_time,
    leave_time: leaveTime,
    status,
  };
}

/** Groups a stream sorted by person_key into one array per person. */
export async function* groupByPerson(
  records: AsyncIterable<ParticipantRecord>,
): AsyncGenerator<ParticipantRecord[]> {
  let group: ParticipantRecord[] = [];
  for await (const record of records) {
    if (group.length > 0 && group[0].person_key !== record.person_key) {
      yield group;
      group = [];
    }
    group.push(record);
  }
  if (group.length > 0) yield group;
}
