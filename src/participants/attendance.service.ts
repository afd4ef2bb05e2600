import { BadRequestException, Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { CourseRows } from '../common/course-people';
import type { CourseRecordsInput } from '../common/course-records';
import type { CsvFormat } from '../common/csv/csv-format';
import { toCsv, type CsvCell } from '../common/csv/csv-write';
import {
  DEFAULT_PARTIAL_MIN_PERCENT,
  DEFAULT_PRESENT_MIN_PERCENT,
  type AttendanceCellDto,
  type AttendanceQueryDto,
  type AttendanceResponseDto,
  type AttendanceRowDto,
  type AttendanceStatus,
  type AttendanceThresholdsDto,
  type CourseOccurrenceDto,
} from './dto/attendance.dto';
import { unionOf } from './presence-intervals';
import { ParticipantsService, type OccurrencePresence } from './participants.service';

/** Minutes with 2 decimals, from ms. */
export function minutesOf(ms: number): number {
  return Math.round(ms / 600) / 100;
}

/** The occurrences of a course as both records list them: numbered from 1, oldest first. */
export function courseOccurrences(occurrences: OccurrencePresence[]): CourseOccurrenceDto[] {
  return occurrences.map((o, i) => ({
    number: i + 1,
    meeting_id: o.meeting_id,
    uuid: o.uuid,
    start: o.start.toISOString(),
    end: o.end.toISOString(),
    ended: o.ended,
    minutes: minutesOf(o.end.getTime() - o.start.getTime()),
  }));
}

/**
 * present / partial / absent from the time in the meeting and the occurrence's length
 * (docs/architecture.md §25). No time at all is absent whatever the thresholds.
 */
export function attendanceStatus(
  ms: number,
  lengthMs: number,
  thresholds: AttendanceThresholdsDto,
): AttendanceStatus {
  if (ms <= 0) return 'absent';
  const percent = lengthMs > 0 ? (100 * ms) / lengthMs : 100;
  if (percent >= thresholds.present_min_percent) return 'present';
  if (percent >= thresholds.partial_min_percent) return 'partial';
  return 'absent';
}

export function thresholdsOf(query: AttendanceQueryDto | undefined): AttendanceThresholdsDto {
  const present = query?.present_min_percent ?? DEFAULT_PRESENT_MIN_PERCENT;
  const partial = query?.partial_min_percent ?? DEFAULT_PARTIAL_MIN_PERCENT;
  if (partial > present) {
    throw new BadRequestException({
      message: `partial_min_percent (${partial}) must not be above present_min_percent (${present})`,
      details: [
        {
          field: 'partial_min_percent',
          errors: ['partial_min_percent must not be above present_min_percent'],
        },
      ],
    });
  }
  return { present_min_percent: present, partial_min_percent: partial };
}

/**
 * A course's attendance (issue 18): per person and occurrence of its meetings, minutes in the
 * meeting from the join and leave records, first join, last leave and a status by the caller's
 * thresholds; totals per person. Rows as every course record has them (CourseRows).
 */
@Injectable()
export class AttendanceService {
  constructor(
    private readonly participants: ParticipantsService,
    private readonly clock: Clock,
  ) {}

  async attendance(
    input: CourseRecordsInput,
    query: AttendanceQueryDto | undefined,
  ): Promise<AttendanceResponseDto> {
    const thresholds = thresholdsOf(query);
    const occurrences = await this.participants.presenceIn(input.meeting_ids, this.clock.now());
    const rows = new CourseRows(input.roster);
    // Per row, per occurrence index: the person's time (a row may be two people of one
    // occurrence only if Zoom gave two person keys one email: their times are united).
    const seen = new Map<string, Map<number, OccurrencePresence['people']>>();
    occurrences.forEach((o, i) => {
      for (const person of o.people) {
        const key = rows.see(person);
        const perRow = seen.get(key) ?? new Map<number, OccurrencePresence['people']>();
        perRow.set(i, [...(perRow.get(i) ?? []), person]);
        seen.set(key, perRow);
      }
    });
    const result: AttendanceRowDto[] = rows.rows().map((row) => {
      const cells: AttendanceCellDto[] = occurrences.map((o, i) => {
        const people = seen.get(row.key)?.get(i) ?? [];
        return cellOf(i + 1, people, o, thresholds);
      });
      return {
        name: row.name,
        email: row.email,
        student_id: row.student_id,
        zoom_user_id: row.zoom_user_id,
        on_roster: row.on_roster,
        occurrences: cells,
        total_minutes: Math.round(cells.reduce((sum, c) => sum + c.minutes, 0) * 100) / 100,
        present: cells.filter((c) => c.status === 'present').length,
        partial: cells.filter((c) => c.status === 'partial').length,
        absent: cells.filter((c) => c.status === 'absent').length,
      };
    });
    return { thresholds, occurrences: courseOccurrences(occurrences), rows: result };
  }

  /**
   * One record per person; per occurrence a group of four columns headed by the occurrence's
   * date (UTC) and number, then the totals.
   */
  async attendanceCsv(
    input: CourseRecordsInput,
    query: AttendanceQueryDto | undefined,
    format: CsvFormat,
  ): Promise<string> {
    const report = await this.attendance(input, query);
    const header = ['name', 'email', 'student_id', 'on_roster'];
    for (const o of report.occurrences) {
      const label = `${o.start.slice(0, 10)} #${o.number}`;
      header.push(
        `${label} minutes`,
        `${label} status`,
        `${label} first join`,
        `${label} last leave`,
      );
    }
    header.push('total_minutes', 'present', 'partial', 'absent');
    const rows: CsvCell[][] = report.rows.map((r) => [
      r.name,
      r.email,
      r.student_id,
      r.on_roster,
      ...r.occurrences.flatMap((c) => [c.minutes, c.status, c.first_join, c.last_leave]),
      r.total_minutes,
      r.present,
      r.partial,
      r.absent,
    ]);
    return toCsv(header, rows, format);
  }
}

function cellOf(
  number: number,
  people: OccurrencePresence['people'],
  occurrence: OccurrencePresence,
  thresholds: AttendanceThresholdsDto,
): AttendanceCellDto {
  if (people.length === 0) {
    return { occurrence: number, minutes: 0, first_join: null, last_leave: null, status: 'absent' };
  }
  // Two person keys on one row (one email) unite like one person's devices.
  const ms = people.length === 1 ? people[0].ms : unionOf(people.flatMap((p) => p.intervals)).ms;
  let firstJoin = Number.POSITIVE_INFINITY;
  let lastLeave: number | null = Number.NEGATIVE_INFINITY;
  for (const p of people) {
    firstJoin = Math.min(firstJoin, p.first_join.getTime());
    if (p.last_leave === null || lastLeave === null) lastLeave = null;
    else lastLeave = Math.max(lastLeave, p.last_leave.getTime());
  }
  const lengthMs = occurrence.end.getTime() - occurrence.start.getTime();
  return {
    occurrence: number,
    minutes: minutesOf(ms),
    first_join: new Date(firstJoin).toISOString(),
    last_leave: lastLeave === null ? null : new Date(lastLeave).toISOString(),
    status: attendanceStatus(ms, lengthMs, thresholds),
  };
}
