import type { Participant } from './schemas/participant.schema';

/** [start, end) in ms (event_ts). */
export type Interval = readonly [number, number];

/**
 * The facts of one join record that its time in the meeting comes from: the newest join, leave
 * and waiting-room entry (docs/architecture.md §9).
 */
export type JoinFacts = Pick<Participant, 'join_ts' | 'leave_ts' | 'waiting_ts'>;

/**
 * When one join (one device's session) was in the meeting, docs/architecture.md §25: from its
 * join (an admit from the waiting room is a join) to the first of its leave, a move back into the
 * waiting room, and the meeting's end that is not older than the join; an open join runs to
 * `openUntil` (now). Waiting-room time is never presence. A record keeps the newest of each
 * fact only, so a join moved to the waiting room and admitted again counts from the last admit.
 * Null when the record has no join (only a waiting-room stay) or the stay is empty.
 */
export function joinInterval(
  r: JoinFacts,
  endedTs: number | null,
  openUntil: number,
): Interval | null {
  const start = r.join_ts;
  if (start === null) return null;
  const ends = [r.leave_ts, r.waiting_ts, endedTs].filter(
    (t): t is number => t !== null && t >= start,
  );
  const end = ends.length > 0 ? Math.min(...ends) : Math.max(start, openUntil);
  return end > start ? [start, end] : null;
}

/**
 * The union of intervals (several devices at once count once): disjoint, sorted, touching ones
 * merged, and its length in ms.
 */
export function unionOf(intervals: readonly Interval[]): { merged: Interval[]; ms: number } {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: Array<[number, number]> = [];
  for (const [start, end] of sorted) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return { merged, ms: merged.reduce((sum, [s, e]) => sum + (e - s), 0) };
}

export interface OccurrenceSpan {
  meeting_id: string;
  uuid: string;
  first_event_ts: number;
  ended_ts: number | null;
}

/**
 * When each occurrence's open joins end (keyed `meeting_id|uuid`): its meeting.ended; else the
 * first event of the same meeting's next occurrence, since occurrences of one meeting never
 * overlap (a missed meeting.ended must not stretch its open joins over the weeks up to now);
 * else null: it is running, and its open joins run to now.
 */
export function occurrenceEnds(occurrences: readonly OccurrenceSpan[]): Map<string, number | null> {
  const ends = new Map<string, number | null>();
  const byMeeting = new Map<string, OccurrenceSpan[]>();
  for (const o of occurrences)
    byMeeting.set(o.meeting_id, [...(byMeeting.get(o.meeting_id) ?? []), o]);
  for (const list of byMeeting.values()) {
    const sorted = [...list].sort((a, b) => a.first_event_ts - b.first_event_ts);
    sorted.forEach((o, i) => {
      const next = sorted[i + 1];
      ends.set(`${o.meeting_id}|${o.uuid}`, o.ended_ts ?? next?.first_event_ts ?? null);
    });
  }
  return ends;
}
