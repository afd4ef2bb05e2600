import { Injectable } from '@nestjs/common';
import { AnswerRecordsService } from '../answers/answer-records.service';
import {
  occurrenceOfBroadcast,
  windowEnd,
  type AskedQuestion,
  type DeliveryStatus,
} from '../broadcasts/broadcast.types';
import { BroadcastsService } from '../broadcasts/broadcasts.service';
import { Clock } from '../common/clock';
import { CourseRows, rowKeyOf } from '../common/course-people';
import type { CourseRecordsInput } from '../common/course-records';
import type { CsvFormat } from '../common/csv/csv-format';
import { toCsv, type CsvCell } from '../common/csv/csv-write';
import { courseOccurrences } from '../participants/attendance.service';
import { ParticipantsService } from '../participants/participants.service';
import { isScored } from '../question-types/question-types';
import type {
  GradebookQuestionDto,
  GradebookResponseDto,
  GradebookRowDto,
} from './dto/gradebook.dto';
import { gradebookCell, isAnswered, isAsked, type GradebookCell } from './gradebook-cells';

interface Column {
  question: AskedQuestion;
  dto: GradebookQuestionDto;
  /** Index into the occurrences; -1 when none is on record. */
  occurrenceIndex: number;
  windowEnd: Date;
}

/**
 * A course's gradebook (issue 18, docs/architecture.md §25) from the answers, deliveries and
 * joins of its meetings: one column per question asked, one row per person (CourseRows), each
 * cell by gradebookCell. A handful of indexed reads for the whole course (occurrences and their
 * joins, broadcasts, their deliveries in batches, the meetings' answers), never one per cell.
 */
@Injectable()
export class GradebookService {
  constructor(
    private readonly participants: ParticipantsService,
    private readonly broadcasts: BroadcastsService,
    private readonly answers: AnswerRecordsService,
    private readonly clock: Clock,
  ) {}

  async gradebook(input: CourseRecordsInput): Promise<GradebookResponseDto> {
    const [occurrences, [asked, recipients], answers] = await Promise.all([
      this.participants.presenceIn(input.meeting_ids, this.clock.now()),
      this.broadcasts
        .questionsAsked(input.meeting_ids)
        .then(
          async (questions) =>
            [questions, await this.broadcasts.recipientsOf(questions.map((q) => q.id))] as const,
        ),
      this.answers.scoresForMeetings(input.meeting_ids),
    ]);
    const rows = new CourseRows(input.roster);

    // First join per occurrence and row.
    const firstJoins = occurrences.map((o) => {
      const byRow = new Map<string, Date>();
      for (const person of o.people) {
        const key = rows.see(person);
        const known = byRow.get(key);
        if (!known || person.first_join < known) byRow.set(key, person.first_join);
      }
      return byRow;
    });

    const columns = this.columnsOf(asked, occurrences);
    // Deliveries by (broadcast, row), and the row of each direct recipient for its answer.
    const deliveries = new Map<string, DeliveryStatus>();
    const anonymousAnswered = new Set<string>();
    const channelStatus = new Map<string, DeliveryStatus>();
    const rowOfRecipient = new Map<string, string>();
    for (const d of recipients) {
      const broadcastId = d.broadcast_id.toHexString();
      if (d.recipient_key.startsWith('channel:')) {
        channelStatus.set(broadcastId, d.status);
        continue;
      }
      const row = rows.see({ ...d, person_key: d.recipient_key });
      rowOfRecipient.set(`${broadcastId}|${d.recipient_key}`, row);
      deliveries.set(`${broadcastId}|${row}`, d.status);
      if (d.answered) anonymousAnswered.add(`${broadcastId}|${row}`);
    }
    const scores = new Map<string, number>();
    for (const a of answers) {
      if (a.anonymous) continue;
      const broadcastId = a.broadcast_id.toHexString();
      const row = a.self_reported
        ? typedRow(rows, a.email)
        : rowOfRecipient.get(`${broadcastId}|${a.recipient_key}`);
      if (row !== undefined) scores.set(`${broadcastId}|${row}`, a.score);
    }

    const result: GradebookRowDto[] = rows.rows().map((row) => {
      const cells: GradebookCell[] = columns.map((c) => {
        const id = c.dto.broadcast_id;
        const cellKey = `${id}|${row.key}`;
        const firstJoin =
          c.occurrenceIndex >= 0 ? (firstJoins[c.occurrenceIndex].get(row.key) ?? null) : null;
        const participationOnly = c.dto.points_possible === 0;
        let answer: { score: number | null } | null = null;
        if (c.question.anonymous) {
          if (anonymousAnswered.has(cellKey)) answer = { score: null };
        } else if (scores.has(cellKey)) {
          answer = { score: participationOnly ? null : (scores.get(cellKey) as number) };
        }
        const delivery =
          c.question.mode === 'channel'
            ? firstJoin !== null && firstJoin <= c.windowEnd
              ? (channelStatus.get(id) ?? null)
              : null
            : (deliveries.get(cellKey) ?? null);
        return gradebookCell({ answer, delivery, firstJoin, windowEnd: c.windowEnd });
      });
      const answered = cells.filter(isAnswered).length;
      const askedCount = cells.filter(isAsked).length;
      return {
        name: row.name,
        email: row.email,
        student_id: row.student_id,
        zoom_user_id: row.zoom_user_id,
        on_roster: row.on_roster,
        cells,
        points_earned: round(
          cells.reduce((sum, c) => sum + (c.points ?? 0), 0),
          4,
        ),
        points_possible: columns.reduce((sum, c) => sum + c.dto.points_possible, 0),
        answered,
        asked: askedCount,
        participation_rate: askedCount > 0 ? round(answered / askedCount, 4) : null,
      };
    });
    return {
      occurrences: courseOccurrences(occurrences),
      questions: columns.map((c) => c.dto),
      rows: result,
    };
  }

  /**
   * One record per person: name, email, student id, on roster, one column per question (its
   * points, or `answered`, or the reason for none), then the totals.
   */
  async gradebookCsv(input: CourseRecordsInput, format: CsvFormat): Promise<string> {
    const book = await this.gradebook(input);
    const header = [
      'name',
      'email',
      'student_id',
      'on_roster',
      ...book.questions.map((q) => q.column),
      'points_earned',
      'points_possible',
      'answered',
      'asked',
      'participation_rate',
    ];
    const rows: CsvCell[][] = book.rows.map((r) => [
      r.name,
      r.email,
      r.student_id,
      r.on_roster,
      ...r.cells.map((c) => (c.status === 'scored' ? c.points : c.status)),
      r.points_earned,
      r.points_possible,
      r.answered,
      r.asked,
      r.participation_rate,
    ]);
    return toCsv(header, rows, format);
  }

  /** The questions in column order: by occurrence, then as asked; numbered within each. */
  private columnsOf(
    asked: AskedQuestion[],
    occurrences: Awaited<ReturnType<ParticipantsService['presenceIn']>>,
  ): Column[] {
    const indexOf = new Map(occurrences.map((o, i) => [`${o.meeting_id}|${o.uuid}`, i]));
    const placed = asked.map((question) => {
      const uuid = occurrenceOfBroadcast(question, occurrences);
      const index = uuid === null ? -1 : (indexOf.get(`${question.meeting_id}|${uuid}`) ?? -1);
      return { question, index };
    });
    // Unplaced questions last (an occurrence retention removed, or none on record).
    const order = (i: number) => (i < 0 ? Number.MAX_SAFE_INTEGER : i);
    placed.sort(
      (a, b) =>
        order(a.index) - order(b.index) ||
        a.question.opens_at.getTime() - b.question.opens_at.getTime() ||
        (a.question.id.toHexString() < b.question.id.toHexString() ? -1 : 1),
    );
    const counters = new Map<number, number>();
    return placed.map(({ question, index }) => {
      const number = (counters.get(index) ?? 0) + 1;
      counters.set(index, number);
      const q = question.question;
      const pointsPossible = !question.anonymous && isScored(q) ? q.points : 0;
      const date = (index >= 0 ? occurrences[index].start : question.opens_at)
        .toISOString()
        .slice(0, 10);
      const suffix = question.anonymous
        ? 'anonymous'
        : pointsPossible > 0
          ? `${pointsPossible} points`
          : 'no points';
      const occurrenceLabel = index >= 0 ? `#${index + 1}` : '#-';
      return {
        question,
        occurrenceIndex: index,
        windowEnd: windowEnd(
          new Date(question.opens_at.getTime() + q.time_limit * 1000),
          question.closed_at,
        ),
        dto: {
          broadcast_id: question.id.toHexString(),
          meeting_id: question.meeting_id,
          occurrence: index >= 0 ? index + 1 : null,
          number,
          asked_at: question.opens_at.toISOString(),
          title: q.title,
          type: q.type,
          anonymous: question.anonymous,
          points_possible: pointsPossible,
          column: `${date} ${occurrenceLabel} Q${number} ${q.title} (${suffix})`,
        },
      };
    });
  }
}

/**
 * A typed identity (channel mode, docs/architecture.md §3) lands on the row of that email when
 * there is one, and never makes a row: anyone can type anyone's email.
 */
function typedRow(rows: CourseRows, email: string | null): string | undefined {
  if (!email) return undefined;
  const key = rowKeyOf({ email, zoom_user_id: null, person_key: '' });
  return rows.has(key) ? key : undefined;
}

function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}
