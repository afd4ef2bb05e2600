import type { QuestionSnapshot } from '../broadcasts/broadcast.types';
import { answerText } from './answer-text';
import type { CsvFormat } from '../common/csv/csv-format';
import { toCsv, type CsvCell } from '../common/csv/csv-write';
import type { ResultsResponseDto } from './dto/results.response';
import { compareText } from './word-cloud/word-frequencies';
import { creditOf, textKey, type TallyAnswer } from './type-tally';

/**
 * The answer as one machine-readable cell: the option index (single, true_false), the indices
 * picked joined by ";" (multiple), the number (rating, numeric), the text, the option indices in
 * ranked order joined by ";" (ranking). `answer` beside it says the same in words.
 */
export function answerValueCell(q: QuestionSnapshot, a: TallyAnswer): CsvCell {
  switch (q.type) {
    case 'single':
    case 'true_false':
      return a.choice ?? null;
    case 'multiple':
      return (a.choices ?? []).join(';');
    case 'rating':
    case 'numeric':
      return a.value ?? null;
    case 'text':
      return a.text ?? null;
    case 'ranking':
      return (a.order ?? []).join(';');
  }
}

const yesNo = (value: boolean | null): string => (value === null ? '' : value ? 'yes' : 'no');

/** The original columns first (unchanged for existing readers), then the per-type ones. */
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
  'type',
  'answer',
  'value',
  'credit',
];

/** An anonymous question's CSV: no column can hold a person next to an answer. */
export const ANONYMOUS_CSV_HEADER = [
  'answered',
  'answer',
  'value',
  'count',
  'correct',
  'credit',
  'name',
  'email',
  'person_key',
  'in_meeting',
  'status',
];

/**
 * One row per answer, then one per non-responder (answered = no, with the reason). `identity`
 * says whether Zoom identified the person or they typed their name and email (self_reported).
 * An anonymous question has its own layout (anonymousCsv).
 */
export function resultsCsv(
  results: ResultsResponseDto,
  question: QuestionSnapshot,
  answers: TallyAnswer[],
  format: CsvFormat,
): string {
  if (results.anonymous) return anonymousCsv(results, question, answers, format);
  const rows = [
    ...results.responses.map((r) => [
      r.name,
      r.email,
      r.recipient_key,
      'yes',
      r.choice,
      r.choice_text,
      yesNo(r.correct),
      r.score,
      r.latency_ms,
      r.answered_at,
      '',
      'answered',
      r.identity,
      results.type,
      r.answer_text,
      answerValueCell(question, r),
      r.credit,
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
      results.type,
      null,
      null,
      null,
    ]),
  ];
  return toCsv(RESULTS_CSV_HEADER, rows, format);
}

/**
 * Anonymous: one row per distinct answer value with how many gave it (no time, latency, score
 * or key: each of those could be matched to a delivery's send time or to a person), sorted by
 * the value itself, so neither the rows nor their order follow the order answers arrived in;
 * then one row per non-responder (who has not answered yet: what reminders need, nothing about
 * anyone's answer). Text answers equal ignoring case, accents and spacing share a row.
 */
function anonymousCsv(
  results: ResultsResponseDto,
  question: QuestionSnapshot,
  answers: TallyAnswer[],
  format: CsvFormat,
): string {
  const groups = new Map<string, { answer: TallyAnswer; count: number }>();
  for (const answer of answers) {
    const key = sortKey(question, answer);
    const group = groups.get(key);
    if (group) group.count++;
    else groups.set(key, { answer, count: 1 });
  }
  const answerRows = [...groups.entries()]
    .sort(([a], [b]) => compareText(a, b))
    .map(([, { answer, count }]) => [
      'yes',
      answerText(question, answer),
      answerValueCell(question, answer),
      count,
      yesNo(answer.correct),
      creditOf(answer),
      null,
      null,
      null,
      null,
      'answered',
    ]);
  const missing = results.non_responders.map((n) => [
    'no',
    null,
    null,
    null,
    null,
    null,
    n.name,
    n.email,
    n.person_key,
    n.in_meeting ? 'yes' : 'no',
    n.reason,
  ]);
  return toCsv(ANONYMOUS_CSV_HEADER, [...answerRows, ...missing], format);
}

/** A key that sorts answers by value: numbers in numeric order, lists element by element. */
function sortKey(q: QuestionSnapshot, a: TallyAnswer): string {
  const number = (n: number): string => {
    // Fixed width, order-preserving for the magnitudes answers may have (QUESTION_LIMITS).
    const shifted = n + 1e13;
    return shifted.toFixed(6).padStart(24, '0');
  };
  switch (q.type) {
    case 'single':
    case 'true_false':
      return number(a.choice ?? -1);
    case 'multiple':
      return (a.choices ?? []).map(number).join(',');
    case 'ranking':
      return (a.order ?? []).map(number).join(',');
    case 'rating':
    case 'numeric':
      return number(a.value ?? 0);
    case 'text':
      return textKey(a.text ?? '');
  }
}
