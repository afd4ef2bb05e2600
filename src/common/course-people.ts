import type { RosterEntry } from './course-records';

/**
 * How a course's records put one person on one row (issue 18, docs/architecture.md §25): the
 * gradebook and the attendance both use these, so a person is on the same row in both.
 */

/** What a record says about who someone is: a join's, a delivery's or an answer's. */
export interface SeenIdentity {
  name: string;
  email: string | null;
  zoom_user_id: string | null;
  /** The person key in one occurrence (docs/architecture.md §3): the last resort. */
  person_key: string;
}

/**
 * The row key of a person across occurrences: their email (lower-cased), else their Zoom user
 * id, else the occurrence's person key (a guest with neither is a row of its own per join, as
 * docs/architecture.md §3 makes them one person per join).
 */
export function rowKeyOf(who: Pick<SeenIdentity, 'email' | 'zoom_user_id' | 'person_key'>): string {
  if (who.email) return `email:${who.email.toLowerCase()}`;
  if (who.zoom_user_id) return `zoom:${who.zoom_user_id}`;
  return `key:${who.person_key}`;
}

/** One row of a course's records: a roster line, or someone seen who is on no roster line. */
export interface CourseRow {
  key: string;
  name: string;
  email: string | null;
  student_id: string | null;
  zoom_user_id: string | null;
  on_roster: boolean;
}

/**
 * The rows of a course: one per roster line, in roster order (a line without an email matches
 * no one; a second line with the same email is the first one's row), then everyone seen who
 * matches no line (`on_roster` false), by name then key. A roster line matches by email only,
 * so a person seen by Zoom user id alone (Zoom gave no email) is an extra row.
 */
export class CourseRows {
  private readonly byKey = new Map<string, CourseRow>();
  private readonly roster: CourseRow[] = [];
  private readonly extras: CourseRow[] = [];

  constructor(roster: RosterEntry[]) {
    roster.forEach((line, i) => {
      const key = line.email ? `email:${line.email.toLowerCase()}` : `roster:${i}`;
      if (this.byKey.has(key)) return;
      const row: CourseRow = {
        key,
        name: line.name,
        email: line.email ? line.email.toLowerCase() : null,
        student_id: line.student_id,
        zoom_user_id: null,
        on_roster: true,
      };
      this.byKey.set(key, row);
      this.roster.push(row);
    });
  }

  /** The row of someone seen (added as an extra row if no roster line matches): its key. */
  see(who: SeenIdentity): string {
    const key = rowKeyOf(who);
    const row = this.byKey.get(key);
    if (row) {
      row.zoom_user_id ??= who.zoom_user_id;
      if (!row.on_roster && !row.name && who.name) row.name = who.name;
      return key;
    }
    const extra: CourseRow = {
      key,
      name: who.name,
      email: who.email ? who.email.toLowerCase() : null,
      student_id: null,
      zoom_user_id: who.zoom_user_id,
      on_roster: false,
    };
    this.byKey.set(key, extra);
    this.extras.push(extra);
    return key;
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  /** Roster rows in roster order, then the extra rows by name (then key: stable). */
  rows(): CourseRow[] {
    const extras = [...this.extras].sort((a, b) =>
      a.name !== b.name ? (a.name < b.name ? -1 : 1) : a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
    );
    return [...this.roster, ...extras];
  }
}
