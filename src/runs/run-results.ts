import type { DeliveryStatus } from '../broadcasts/broadcast.types';
import type { CsvFormat } from '../common/csv/csv-format';
import { toCsv, type CsvCell } from '../common/csv/csv-write';
import type { LeaderboardRow } from '../answers/answer.types';
import type { LeaderboardEntryDto, ResultsResponseDto } from '../results/dto/results.response';
import { rankLeaderboard } from '../results/results-summary';
import type {
  RunPersonAnswerDto,
  RunPersonDto,
  RunResultsResponseDto,
} from './dto/run-results.response';
import type { RunRecord } from './run.types';

/**
 * A run's results (issue 16, docs/architecture.md §29), computed in memory from what the run
 * service read: each question's results (its step broadcast's, the body of
 * GET /api/broadcasts/{id}/results) and the run broadcast's deliveries (who was sent the run
 * link). Everything per person comes from the questions' `responses`, one read of the answers,
 * so the cells, the totals and the leaderboard of one answer always agree.
 */

/** Someone sent the run link (a delivery of the run broadcast). */
export interface RunRecipient {
  recipient_key: string;
  name: string;
  email: string | null;
  status: DeliveryStatus;
}

export interface RunResultsInput {
  run: Pick<RunRecord, '_id' | 'meeting_id' | 'title' | 'state' | 'pacing' | 'anonymous' | 'steps'>;
  /** One per step, in run order. */
  questions: ResultsResponseDto[];
  recipients: RunRecipient[];
}

export function runResults(input: RunResultsInput): RunResultsResponseDto {
  const { run, questions, recipients } = input;
  const people = run.anonymous ? [] : peopleOf(input);
  const leaderboard = run.anonymous ? [] : rankPeople(people);
  const rankByKey = new Map(leaderboard.map((e) => [e.person_key, e.rank]));
  return {
    run_id: run._id.toHexString(),
    meeting_id: run.meeting_id,
    title: run.title,
    state: run.state,
    pacing: run.pacing,
    anonymous: run.anonymous,
    recipients: recipients.length,
    participants: run.anonymous ? null : people.filter((p) => p.answered_count > 0).length,
    questions: run.steps.map((step, index) => ({
      index,
      question_id: step.question_id.toHexString(),
      broadcast_id: step.broadcast_id.toHexString(),
      results: questions[index],
    })),
    leaderboard,
    people: people.map((p) => ({ ...p, rank: rankByKey.get(p.person_key) ?? null })),
  };
}

/**
 * Everyone sent the run link (their delivery's name and email: Zoom's), then anyone else who
 * answered (the name and email on their latest answer), by name then key.
 */
function peopleOf({ run, questions, recipients }: RunResultsInput): RunPersonDto[] {
  const byKey = new Map<string, RunPersonDto>();
  const person = (
    key: string,
    name: string,
    email: string | null,
    status: DeliveryStatus | null,
  ) => ({
    person_key: key,
    name,
    email,
    link_status: status,
    rank: null,
    answers: run.steps.map((step, index): RunPersonAnswerDto => ({
      index,
      question_id: step.question_id.toHexString(),
      answered: false,
      answer_text: null,
      correct: null,
      credit: null,
      score: null,
    })),
    total_score: 0,
    correct_count: 0,
    answered_count: 0,
  });
  for (const r of recipients) {
    if (!byKey.has(r.recipient_key)) {
      byKey.set(r.recipient_key, person(r.recipient_key, r.name, r.email, r.status));
    }
  }
  questions.forEach((results, index) => {
    for (const response of results.responses) {
      let row = byKey.get(response.recipient_key);
      if (!row) {
        row = person(response.recipient_key, response.name, response.email, null);
        byKey.set(response.recipient_key, row);
      }
      row.answers[index] = {
        index,
        question_id: row.answers[index].question_id,
        answered: true,
        answer_text: response.answer_text,
        correct: response.correct,
        credit: response.credit,
        score: response.score,
      };
      row.total_score += response.score;
      row.answered_count += 1;
      if (response.correct === true) row.correct_count += 1;
    }
  });
  return [...byKey.values()].sort(
    (a, b) => a.name.localeCompare(b.name) || a.person_key.localeCompare(b.person_key),
  );
}

/**
 * The run's leaderboard: the people who answered, ranked as the meeting leaderboard ranks
 * (rankLeaderboard). Answers through a run link are Zoom-identified: never self-reported.
 */
function rankPeople(people: RunPersonDto[]): LeaderboardEntryDto[] {
  const rows: LeaderboardRow[] = people
    .filter((p) => p.answered_count > 0)
    .map((p) => ({
      recipient_key: p.person_key,
      self_reported: false,
      name: p.name,
      email: p.email,
      total: p.total_score,
      answered: p.answered_count,
      correct: p.correct_count,
    }));
  return rankLeaderboard(rows);
}

const yesNo = (value: boolean | null): string => (value === null ? '' : value ? 'yes' : 'no');

/** `Q<n>`: the one way a question's columns are headed (its title may repeat or be long). */
const questionLabel = (index: number): string => `Q${index + 1}`;

/**
 * GET /api/runs/{id}/results.csv. One row per person (as `people`): name, email, person_key,
 * link_status, rank, then per question `Q<n> answer` (in words), `Q<n> correct`, `Q<n> score`,
 * then total_score, correct_count, answered_count. An anonymous run has no per-person rows: one
 * row per question with its aggregates instead. toCsv neutralises formula-like cells.
 */
export function runResultsCsv(results: RunResultsResponseDto, format: CsvFormat): string {
  if (results.anonymous) {
    return toCsv(
      [
        'question',
        'question_id',
        'title',
        'answered',
        'correct_count',
        'correct_percent',
        'mean_credit',
      ],
      results.questions.map((q) => [
        questionLabel(q.index),
        q.question_id,
        q.results.question.title,
        q.results.answered,
        q.results.correct_count,
        q.results.correct_percent,
        q.results.mean_credit,
      ]),
      format,
    );
  }
  const header = [
    'name',
    'email',
    'person_key',
    'link_status',
    'rank',
    ...results.questions.flatMap((q) => {
      const label = questionLabel(q.index);
      return [`${label} answer`, `${label} correct`, `${label} score`];
    }),
    'total_score',
    'correct_count',
    'answered_count',
  ];
  const rows = results.people.map((p): CsvCell[] => [
    p.name,
    p.email,
    p.person_key,
    p.link_status,
    p.rank,
    ...p.answers.flatMap((a) => [a.answer_text, yesNo(a.correct), a.score]),
    p.total_score,
    p.correct_count,
    p.answered_count,
  ]);
  return toCsv(header, rows, format);
}
