import type { LeaderboardRow } from '../answers/answer.types';
import {
  windowEnd,
  type BroadcastControls,
  type BroadcastMode,
  type DeliveryStatus,
  type QuestionSnapshot,
} from '../broadcasts/broadcast.types';
import { toCsv } from './csv';
import type {
  AnswerIdentity,
  LeaderboardEntryDto,
  NonResponderDto,
  OptionCountDto,
  ResultsResponseDto,
  TallyDto,
} from './dto/results.response';

/** What the summary needs of an answer, a delivery and a person in the meeting. */
export interface AnswerView {
  recipient_key: string;
  /** Missing on answers stored before the field existed: those are direct (verified) answers. */
  self_reported?: boolean;
  name: string;
  email: string | null;
  choice: number;
  correct: boolean | null;
  score: number;
  latency_ms: number;
  answered_at: Date;
}

export interface DeliveryView {
  recipient_key: string;
  name: string;
  email: string | null;
  status: DeliveryStatus;
  sent_at: Date | null;
  closes_at: Date | null;
}

export interface PersonView {
  person_key: string;
  name: string;
  email: string | null;
}

export const identityOf = (row: { self_reported?: boolean }): AnswerIdentity =>
  row.self_reported === true ? 'self_reported' : 'verified';

const percent = (part: number, whole: number): number =>
  whole === 0 ? 0 : Math.round((1000 * part) / whole) / 10;

export function emptyTally(question: QuestionSnapshot): TallyDto {
  const survey = question.correct_answer === null;
  return {
    answered: 0,
    options: question.options.map((text, index) => ({
      index,
      text,
      count: 0,
      percent: 0,
      correct: survey ? null : index === question.correct_answer,
    })),
    correct_count: survey ? null : 0,
    correct_percent: null,
  };
}

/** Adds one answer to running counts (live stream), recomputing the percentages. */
export function addToTally(tally: TallyDto, answer: Pick<AnswerView, 'choice' | 'correct'>): void {
  const option: OptionCountDto | undefined = tally.options[answer.choice];
  if (option) option.count++;
  tally.answered++;
  if (tally.correct_count !== null && answer.correct === true) tally.correct_count++;
  for (const o of tally.options) o.percent = percent(o.count, tally.answered);
  tally.correct_percent =
    tally.correct_count === null || tally.answered === 0
      ? null
      : percent(tally.correct_count, tally.answered);
}

export function tally(question: QuestionSnapshot, answers: AnswerView[]): TallyDto {
  const result = emptyTally(question);
  for (const answer of answers) addToTally(result, answer);
  return result;
}

/**
 * Who has not answered. Direct mode matches people by person key (= recipient key). Listed:
 * everyone in the meeting now without an answer, whatever happened to their message (the reason
 * says which), and everyone who got the question and left without answering (in_meeting false):
 * the instructor asked "who didn't answer", and someone who walked out still didn't. People who
 * left before their message went out are not listed: they never had the question.
 *
 * Channel mode has one shared link and answers carry only a typed email (self-reported), so a
 * person in the meeting counts as answered when an answer carries their email: the best this
 * list can do there, and as much a claim as the answer itself.
 */
export function nonResponders(
  mode: BroadcastMode,
  deliveries: DeliveryView[],
  answers: AnswerView[],
  people: PersonView[],
): NonResponderDto[] {
  const answeredKeys = new Set(answers.map((a) => a.recipient_key));
  if (mode === 'channel') {
    const channel = deliveries[0];
    const answeredEmails = new Set(
      answers.map((a) => a.email?.toLowerCase()).filter((e): e is string => !!e),
    );
    return people
      .filter(
        (p) =>
          !answeredKeys.has(p.person_key) &&
          !(p.email !== null && answeredEmails.has(p.email.toLowerCase())),
      )
      .map((p) => ({
        person_key: p.person_key,
        name: p.name,
        email: p.email,
        in_meeting: true,
        delivery_status: channel?.status ?? null,
        reason: channel?.sent_at
          ? 'no_answer'
          : channel?.status === 'unconfirmed'
            ? 'unconfirmed'
            : 'not_delivered',
      }));
  }

  const byKey = new Map(deliveries.map((d) => [d.recipient_key, d]));
  const inMeeting = new Set(people.map((p) => p.person_key));
  const present: NonResponderDto[] = people
    .filter((p) => !answeredKeys.has(p.person_key))
    .map((p) => {
      const delivery = byKey.get(p.person_key);
      return {
        person_key: p.person_key,
        name: p.name,
        email: p.email,
        in_meeting: true,
        delivery_status: delivery?.status ?? null,
        reason: !delivery
          ? 'joined_after_send'
          : delivery.sent_at
            ? 'no_answer'
            : delivery.status === 'unreachable' || delivery.status === 'unconfirmed'
              ? delivery.status
              : 'not_delivered',
      };
    });
  const left: NonResponderDto[] = deliveries
    .filter(
      (d) => d.sent_at && !answeredKeys.has(d.recipient_key) && !inMeeting.has(d.recipient_key),
    )
    .map((d) => ({
      person_key: d.recipient_key,
      name: d.name,
      email: d.email,
      in_meeting: false,
      delivery_status: d.status,
      reason: 'left_meeting',
    }));
  return [...present, ...left].sort(
    (a, b) => a.name.localeCompare(b.name) || a.person_key.localeCompare(b.person_key),
  );
}

export interface SummaryInput {
  broadcastId: string;
  meetingId: string;
  mode: BroadcastMode;
  question: QuestionSnapshot;
  deliveries: DeliveryView[];
  answers: AnswerView[];
  people: PersonView[];
  controls: BroadcastControls;
  graceSeconds: number;
  now: Date;
}

/**
 * When the last recipient's window ends (windowEnd: their own end, or the instructor's close):
 * the deadline a console countdown shows. null while no message has gone out and it is not closed.
 */
export function lastDeadline(
  deliveries: Array<Pick<DeliveryView, 'closes_at'>>,
  closedAt: Date | null,
): Date | null {
  let last: Date | null = null;
  for (const d of deliveries) if (d.closes_at && (!last || d.closes_at > last)) last = d.closes_at;
  return last ? windowEnd(last, closedAt) : closedAt;
}

export function summarize(input: SummaryInput): ResultsResponseDto {
  const { question, deliveries, answers } = input;
  const counts = tally(question, answers);
  const missing = nonResponders(input.mode, deliveries, answers, input.people);
  const graceMs = input.graceSeconds * 1000;
  const { closed_at: closedAt, revealed_at: revealedAt } = input.controls;
  const open =
    closedAt === null &&
    deliveries.some(
      (d) =>
        d.status === 'pending' ||
        d.status === 'sending' ||
        (d.closes_at !== null && d.closes_at.getTime() + graceMs >= input.now.getTime()),
    );
  const deadline = lastDeadline(deliveries, closedAt);
  return {
    broadcast_id: input.broadcastId,
    meeting_id: input.meetingId,
    mode: input.mode,
    question: {
      title: question.title,
      question_text: question.question_text,
      options: [...question.options],
      correct_answer: question.correct_answer,
      time_limit: question.time_limit,
      points: question.points,
    },
    open,
    closes_at: deadline ? deadline.toISOString() : null,
    closed_at: closedAt ? closedAt.toISOString() : null,
    revealed: revealedAt !== null,
    recipients: deliveries.length,
    delivered: deliveries.filter((d) => d.sent_at !== null).length,
    answered: counts.answered,
    answered_verified: answers.filter((a) => identityOf(a) === 'verified').length,
    answered_self_reported: answers.filter((a) => identityOf(a) === 'self_reported').length,
    not_answered: missing.length,
    options: counts.options,
    correct_count: counts.correct_count,
    correct_percent: counts.correct_percent,
    responses: answers.map((a) => ({
      recipient_key: a.recipient_key,
      identity: identityOf(a),
      name: a.name,
      email: a.email,
      choice: a.choice,
      choice_text: question.options[a.choice] ?? '',
      correct: a.correct,
      score: a.score,
      latency_ms: a.latency_ms,
      answered_at: a.answered_at.toISOString(),
    })),
    non_responders: missing,
  };
}

export const RESULTS_CSV_HEADER = [
  'name',
  'email',
  'person_key',
  'answered',
  'choice',
  'choice_text',
  'correct',
  'score',
  'latency_ms',
  'answered_at',
  'in_meeting',
  'status',
  'identity',
];

/**
 * One row per answer, then one per non-responder (answered = no, with the reason). `identity`
 * says whether Zoom identified the person or they typed their name and email (self_reported).
 */
export function resultsCsv(results: ResultsResponseDto): string {
  const rows = [
    ...results.responses.map((r) => [
      r.name,
      r.email,
      r.recipient_key,
      'yes',
      r.choice,
      r.choice_text,
      r.correct === null ? '' : r.correct ? 'yes' : 'no',
      r.score,
      r.latency_ms,
      r.answered_at,
      '',
      'answered',
      r.identity,
    ]),
    ...results.non_responders.map((n) => [
      n.name,
      n.email,
      n.person_key,
      'no',
      null,
      null,
      null,
      null,
      null,
      null,
      n.in_meeting ? 'yes' : 'no',
      n.reason,
      // Non-responders come from Zoom's participant list.
      'verified',
    ]),
  ];
  return toCsv(RESULTS_CSV_HEADER, rows);
}

/** Highest total first; then more right answers; then name. Equal totals and rights share a rank. */
export function rankLeaderboard(rows: LeaderboardRow[]): LeaderboardEntryDto[] {
  const sorted = [...rows].sort(
    (a, b) =>
      b.total - a.total ||
      b.correct - a.correct ||
      a.name.localeCompare(b.name) ||
      a.recipient_key.localeCompare(b.recipient_key),
  );
  let rank = 0;
  return sorted.map((row, i) => {
    const previous = sorted[i - 1];
    if (!previous || previous.total !== row.total || previous.correct !== row.correct) rank = i + 1;
    return {
      rank,
      person_key: row.recipient_key,
      identity: identityOf(row),
      name: row.name,
      email: row.email,
      total: row.total,
      answered: row.answered,
      correct: row.correct,
    };
  });
}
