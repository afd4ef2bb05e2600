import { ANONYMOUS_KEY_PREFIX, type LeaderboardRow } from '../answers/answer.types';
import {
  windowEnd,
  type BroadcastControls,
  type BroadcastMode,
  type DeliveryStatus,
  type QuestionSnapshot,
} from '../broadcasts/broadcast.types';
import { answerText } from './answer-text';
import type {
  AnswerIdentity,
  LeaderboardEntryDto,
  NonResponderDto,
  ResponseRowDto,
  ResultsResponseDto,
  TallyDto,
} from './dto/results.response';
import { creditOf, LiveTally, type TallyAnswer } from './type-tally';

/** What the summary needs of an answer, a delivery and a person in the meeting. */
export interface AnswerView extends TallyAnswer {
  recipient_key: string;
  /** Missing on answers stored before the field existed: those are direct (verified) answers. */
  self_reported?: boolean;
  /** An anonymous question's answer: no person behind it (recipient_key `anon:` + random). */
  anonymous?: boolean;
  name: string;
  email: string | null;
  score: number;
  /** null on an anonymous answer: with answered_at it would give the recipient's send time. */
  latency_ms: number | null;
  answered_at: Date;
}

export interface DeliveryView {
  recipient_key: string;
  name: string;
  email: string | null;
  status: DeliveryStatus;
  sent_at: Date | null;
  closes_at: Date | null;
  /**
   * That this recipient answered, recorded on the delivery (never what: an anonymous answer has
   * no link back to it). Absent on deliveries of non-anonymous broadcasts stored before it.
   */
  answered?: boolean;
}

export interface PersonView {
  person_key: string;
  name: string;
  email: string | null;
}

export const identityOf = (row: { self_reported?: boolean }): AnswerIdentity =>
  row.self_reported === true ? 'self_reported' : 'verified';

/** The counts of a question with no answer yet. */
export function emptyTally(question: QuestionSnapshot): TallyDto {
  return new LiveTally(question).toDto();
}

export function tally(question: QuestionSnapshot, answers: TallyAnswer[]): TallyDto {
  return LiveTally.of(question, answers).toDto();
}

/**
 * The recipients who have answered: the key on an answer (direct mode: the person's), and every
 * delivery marked `answered` (an anonymous answer carries no key of its recipient).
 */
export function answeredRecipients(
  deliveries: Array<Pick<DeliveryView, 'recipient_key' | 'answered'>>,
  answers: Array<Pick<AnswerView, 'recipient_key'>>,
): Set<string> {
  const keys = new Set(answers.map((a) => a.recipient_key));
  for (const d of deliveries) if (d.answered === true) keys.add(d.recipient_key);
  return keys;
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
  const answeredKeys = answeredRecipients(deliveries, answers);
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
  /** An anonymous question (aggregates only); absent = false. */
  anonymous?: boolean;
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
  const { question, deliveries, answers, anonymous } = input;
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
    anonymous: anonymous === true,
    type: question.type,
    question: {
      ...question,
      options: [...question.options],
      scale: question.scale ? { ...question.scale } : null,
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
    mean_credit: counts.mean_credit,
    summary: counts.summary,
    // Anonymous: aggregates only; no row may pair an answer with anything about its sender.
    responses: anonymous === true ? [] : answers.map((a) => responseRow(question, a)),
    non_responders: missing,
  };
}

function responseRow(question: QuestionSnapshot, a: AnswerView): ResponseRowDto {
  const single = question.type === 'single' || question.type === 'true_false';
  const choice = single && typeof a.choice === 'number' ? a.choice : null;
  return {
    recipient_key: a.recipient_key,
    identity: identityOf(a),
    name: a.name,
    email: a.email,
    choice,
    choice_text: choice === null ? '' : (question.options[choice] ?? ''),
    choices: question.type === 'multiple' ? (a.choices ?? null) : null,
    value: question.type === 'rating' || question.type === 'numeric' ? (a.value ?? null) : null,
    text: question.type === 'text' ? (a.text ?? null) : null,
    order: question.type === 'ranking' ? (a.order ?? null) : null,
    answer_text: answerText(question, a),
    correct: a.correct,
    credit: creditOf(a),
    score: a.score,
    latency_ms: a.latency_ms,
    answered_at: a.answered_at.toISOString(),
  };
}

/**
 * Highest total first; then more right answers; then name. Equal totals and rights share a rank.
 * Totals are sums of scores, so partial credit adds up; `correct` counts full-credit answers.
 * Anonymous answers are left out: each is nobody's, and a row per answer would only list them.
 */
export function rankLeaderboard(rows: LeaderboardRow[]): LeaderboardEntryDto[] {
  const sorted = rows
    .filter((row) => !row.recipient_key.startsWith(ANONYMOUS_KEY_PREFIX))
    .sort(
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
