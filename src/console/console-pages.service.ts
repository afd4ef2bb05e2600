import { ConflictException, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { Types } from 'mongoose';
import { hasRole, type Actor } from '../common/auth/actor';
import { Clock } from '../common/clock';
import { BroadcastsService } from '../broadcasts/broadcasts.service';
import { ParticipantsService, RECENT_MEETINGS } from '../participants/participants.service';
import { checkQuestionBody } from '../questions/dto/check-question-body';
import { DIFFICULTIES, QUESTION_DEFAULTS } from '../questions/question.types';
import { describeAnswer } from '../question-types/describe';
import {
  DEFAULT_QUESTION_TYPE,
  isScored,
  QUESTION_LIMITS,
  withTypeDefaults,
  type QuestionBody,
} from '../question-types/question-types';
import { optionLetter } from './page/chart';
import { QuestionsService } from '../questions/questions.service';
import { QuestionSetsService } from '../question-sets/question-sets.service';
import { ResultsService } from '../results/results.service';
import type { RunResponseDto } from '../runs/dto/run.response';
import { RunsService } from '../runs/runs.service';
import {
  EMPTY_QUESTION_FORM,
  FORM_FIELDS,
  NOTICES,
  QUESTION_KINDS,
  renderDeleteQuestion,
  renderMeetings,
  renderPresenter,
  renderQuestionForm,
  renderQuestions,
  renderResults,
  renderRoom,
  renderRun,
  type BroadcastRow,
  type QuestionFormValues,
  type QuestionRow,
} from './page/console.view';

/** A posted form: urlencoded fields (a repeated field arrives as an array). */
export type FormBody = Record<string, string | string[] | undefined>;

/** A question as the bank's service answers it. */
type BankQuestion = Awaited<ReturnType<QuestionsService['findById']>>;

const PAGE_SIZE = 20;
/** The live room's question picker: the newest questions of the bank. */
const PICKER_SIZE = 100;

const field = (body: FormBody, name: string): string => {
  const value = body[name];
  return typeof value === 'string' ? value : Array.isArray(value) ? (value[0] ?? '') : '';
};

/**
 * Builds the console's pages from the services the API's controllers call (questions,
 * participants, broadcasts, results), so a page shows exactly what the API would answer, and
 * maps a posted form to the same DTO the API validates, with the same rules.
 */
@Injectable()
export class ConsolePagesService {
  constructor(
    private readonly questionsService: QuestionsService,
    private readonly participants: ParticipantsService,
    private readonly broadcasts: BroadcastsService,
    private readonly resultsService: ResultsService,
    private readonly questionSets: QuestionSetsService,
    private readonly runs: RunsService,
    private readonly clock: Clock,
  ) {}

  async questions(actor: Actor, csrf: string, query: Record<string, unknown>): Promise<string> {
    const q = typeof query.q === 'string' ? query.q.trim().slice(0, 100) : '';
    const requested = Number(query.page);
    const page =
      Number.isInteger(requested) && requested >= 1 && requested <= 100_000 ? requested : 1;
    const list = await this.questionsService.list(actor, {
      limit: PAGE_SIZE,
      page,
      ...(q ? { q } : {}),
    });
    return renderQuestions({
      csrf,
      actor,
      items: list.items.map(toRow),
      total: list.total,
      q,
      page,
      pages: Math.max(1, Math.ceil(list.total / PAGE_SIZE)),
      notice: noticeOf(query),
    });
  }

  questionForm(
    actor: Actor,
    csrf: string,
    id: string | null,
    values = EMPTY_QUESTION_FORM,
  ): string {
    return renderQuestionForm({ csrf, actor, id, values, errors: {}, difficulties: DIFFICULTIES });
  }

  async editForm(actor: Actor, csrf: string, id: Types.ObjectId): Promise<string> {
    const q = await this.questionsService.findById(actor, id);
    return this.questionForm(actor, csrf, id.toHexString(), formOf(q));
  }

  /**
   * Create (id null) or replace a question from the form. The form is turned into the API's
   * CreateQuestionDto and checked by its own rules; a refused form comes back with each error
   * next to its field.
   */
  async saveQuestion(
    actor: Actor,
    csrf: string,
    id: Types.ObjectId | null,
    body: FormBody,
  ): Promise<{ page: string | null }> {
    const values = formValues(body);
    const checked = await checkQuestionBody(dtoFromForm(values));
    if (checked.ok) {
      if (id) await this.questionsService.replace(actor, id, checked.dto);
      else await this.questionsService.create(actor, checked.dto);
      return { page: null };
    }
    const problems = checked.details;
    const errors: Partial<Record<keyof QuestionFormValues, string[]>> = {};
    for (const problem of problems) {
      const name = formFieldOf(problem.field, values.type);
      const known = FORM_FIELDS.some((f) => f.name === name) ? name : 'title';
      errors[known] = [...(errors[known] ?? []), ...problem.errors.map(humanize)];
    }
    return {
      page: renderQuestionForm({
        csrf,
        actor,
        id: id ? id.toHexString() : null,
        values,
        errors,
        difficulties: DIFFICULTIES,
      }),
    };
  }

  async confirmDelete(actor: Actor, csrf: string, id: Types.ObjectId): Promise<string> {
    const question = await this.questionsService.findById(actor, id);
    return renderDeleteQuestion({ csrf, actor, question: toRow(question) });
  }

  async deleteQuestion(actor: Actor, id: Types.ObjectId): Promise<void> {
    await this.questionsService.remove(actor, id);
  }

  async meetings(actor: Actor, csrf: string): Promise<string> {
    const meetings = await this.participants.recentMeetings(actor, RECENT_MEETINGS);
    return renderMeetings({
      csrf,
      actor,
      items: meetings.map((m) => ({
        meeting_id: m.meeting_id,
        topic: m.occurrence.topic,
        ended: m.occurrence.ended_ts !== null,
        present: m.present,
        reachable: m.reachable,
        unreachable: m.unreachable,
      })),
    });
  }

  async room(
    actor: Actor,
    csrf: string,
    meetingId: string,
    error: string | null = null,
    runError: string | null = null,
  ): Promise<string> {
    // Assistants neither read the bank nor send (the API's roles for those routes).
    const canSend = hasRole(actor.role, 'instructor');
    const [people, questions, sets, broadcasts, runs] = await Promise.all([
      this.participants.listPeople(actor, meetingId, { status: 'joined', limit: 1000 }),
      canSend ? this.questionsService.list(actor, { limit: PICKER_SIZE, page: 1 }) : { items: [] },
      canSend ? this.questionSets.list(actor, { limit: PICKER_SIZE, page: 1 }) : { items: [] },
      this.broadcasts.listForMeeting(actor, meetingId),
      this.runs.listForMeeting(actor, meetingId),
    ]);
    return renderRoom({
      csrf,
      actor,
      meetingId,
      topic: people.occurrence?.topic ?? null,
      ended: people.occurrence ? people.occurrence.ended_ts !== null : false,
      people: people.items,
      questions: questions.items.map((q) => ({ id: q._id.toHexString(), title: q.title })),
      sets: sets.items.map((set) => ({ id: set._id.toHexString(), title: set.title })),
      runs: runs.slice(0, 20).map((run) => ({
        id: run.id,
        title: run.title,
        state: run.state,
        started_at: utc(run.started_at),
      })),
      // A run's questions are listed, in order, on its page (the run's message links to it).
      broadcasts: broadcasts
        .filter(({ broadcast }) => !(broadcast.run_id && broadcast.kind === 'question'))
        .slice(0, 20)
        .map(({ broadcast, counts }) => broadcastRow(broadcast, counts.total)),
      error,
      runError,
      canSend,
    });
  }

  /**
   * The live room's "Run a question set" form: POST /api/question-sets/{id}/runs's service calls
   * with start "now" (RunsService.setForStart, then startRun, as RunStarter does without an
   * Idempotency-Key). A refusal (a set gone, no 'send' in the meeting, a run of the set already
   * live there) shows the room again with the reason, and a live run's link.
   */
  async startRun(
    actor: Actor,
    csrf: string,
    meetingId: string,
    body: FormBody,
  ): Promise<{ runId: string } | { page: string; status: number }> {
    const setId = field(body, 'set_id');
    if (!/^[0-9a-f]{24}$/i.test(setId)) {
      return {
        status: HttpStatus.BAD_REQUEST,
        page: await this.room(actor, csrf, meetingId, null, 'Choose a question set to run.'),
      };
    }
    try {
      const set = await this.runs.setForStart(actor, new Types.ObjectId(setId), meetingId, null);
      const run = await this.runs.startRun(set, {
        meetingId,
        runId: new Types.ObjectId(),
        durationSeconds: null,
        armId: null,
        ownerId: actor.instructorId,
      });
      return { runId: run._id.toHexString() };
    } catch (error) {
      if (!(error instanceof HttpException) || error.getStatus() >= 500) throw error;
      const live =
        error instanceof ConflictException
          ? (error.getResponse() as { details?: { running_run_id?: string | null } }).details
              ?.running_run_id
          : undefined;
      const message = live
        ? `A run of this set is already live in the meeting: see it at /console/runs/${live}, or end it first.`
        : error.message;
      return {
        status: error.getStatus(),
        page: await this.room(actor, csrf, meetingId, null, message),
      };
    }
  }

  /** GET /console/runs/{id}: the run as GET /api/runs/{id} answers it (404 for another's). */
  async run(
    actor: Actor,
    csrf: string,
    id: Types.ObjectId,
    query: Record<string, unknown>,
    error: string | null = null,
  ): Promise<string> {
    const run = await this.runs.view(actor, id);
    return this.runPage(actor, csrf, run, noticeOf(query), error);
  }

  /**
   * The run page's Next: POST /api/runs/{id}/next with the index the page showed. A move that
   * another click (or auto-advance) made first is not repeated: the page again, with what
   * happened, and the question it is at now.
   */
  async next(
    actor: Actor,
    csrf: string,
    id: Types.ObjectId,
    body: FormBody,
  ): Promise<{ position: number; ended: boolean } | { page: string; status: number }> {
    const index = Number(field(body, 'current_index'));
    if (field(body, 'current_index') === '' || !Number.isInteger(index) || index < 0) {
      return {
        status: HttpStatus.BAD_REQUEST,
        page: await this.run(
          actor,
          csrf,
          id,
          {},
          'The form did not say which question it was on: reload the page and press Next again.',
        ),
      };
    }
    try {
      const run = await this.runs.next(actor, id, index);
      return { position: run.current_index + 1, ended: run.state === 'ended' };
    } catch (error) {
      if (!(error instanceof ConflictException)) throw error;
      const now = await this.runs.view(actor, id);
      const at = now.current_question?.index ?? null;
      const message =
        at !== null && at !== index
          ? `The run had already moved on from question ${index + 1} (a second click, or another window): it is at question ${at + 1} of ${now.steps.length}, and nothing was skipped. Press Next again to move on from here.`
          : now.state === 'ended'
            ? 'The run has already ended: there is no next question.'
            : error.message;
      return {
        status: HttpStatus.CONFLICT,
        page: this.runPage(actor, csrf, now, null, message),
      };
    }
  }

  /** The run page's End: POST /api/runs/{id}/end (ending an ended run changes nothing). */
  async endRun(actor: Actor, id: Types.ObjectId): Promise<void> {
    await this.runs.end(actor, id);
  }

  private runPage(
    actor: Actor,
    csrf: string,
    run: RunResponseDto,
    notice: string | null,
    error: string | null,
  ): string {
    return renderRun({
      csrf,
      actor,
      run,
      now: this.clock.now(),
      notice,
      error,
      canControl: hasRole(actor.role, 'instructor'),
    });
  }

  /**
   * The live room's send form: POST /api/questions/{id}/send's service. A refusal (nobody in the
   * meeting, the question still open there, no channel) shows the room again with the reason.
   */
  async send(
    actor: Actor,
    csrf: string,
    meetingId: string,
    body: FormBody,
  ): Promise<{ broadcastId: string } | { page: string; status: number }> {
    const questionId = field(body, 'question_id');
    const mode = field(body, 'mode') === 'channel' ? 'channel' : 'direct';
    if (!Types.ObjectId.isValid(questionId) || !/^[0-9a-f]{24}$/i.test(questionId)) {
      return {
        status: HttpStatus.BAD_REQUEST,
        page: await this.room(actor, csrf, meetingId, 'Choose a question to send.'),
      };
    }
    try {
      const created = await this.broadcasts.sendQuestion(
        actor,
        new Types.ObjectId(questionId),
        meetingId,
        // A checked checkbox posts its value ("on" unless the form sets one); unchecked, nothing.
        { mode, anonymous: ['on', 'true', '1'].includes(field(body, 'anonymous')) },
      );
      return { broadcastId: created.broadcast._id.toHexString() };
    } catch (error) {
      if (!(error instanceof HttpException) || error.getStatus() >= 500) throw error;
      const open =
        error instanceof ConflictException
          ? (error.getResponse() as { details?: { open_broadcast_id?: string } }).details
              ?.open_broadcast_id
          : undefined;
      const message = open
        ? `This question is still open in the meeting: see its results at /console/broadcasts/${open}, or close it first.`
        : error.message;
      return { status: error.getStatus(), page: await this.room(actor, csrf, meetingId, message) };
    }
  }

  async results(
    actor: Actor,
    csrf: string,
    id: Types.ObjectId,
    query: Record<string, unknown>,
    can: { canControl: boolean; canRemind: boolean },
  ): Promise<string> {
    const results = await this.resultsService.results(actor, id);
    const leaderboard = await this.resultsService.leaderboard(actor, results.meeting_id);
    return renderResults({
      csrf,
      actor,
      results,
      leaderboard: leaderboard.items,
      now: this.clock.now(),
      notice: noticeOf(query),
      ...can,
    });
  }

  async presenter(
    actor: Actor,
    csrf: string,
    id: Types.ObjectId,
    showNames: boolean,
  ): Promise<string> {
    const results = await this.resultsService.results(actor, id);
    const leaderboard = showNames
      ? (await this.resultsService.leaderboard(actor, results.meeting_id)).items
      : [];
    return renderPresenter({ csrf, results, leaderboard, showNames, now: this.clock.now() });
  }

  async remind(actor: Actor, id: Types.ObjectId): Promise<number> {
    return this.resultsService.remind(actor, id);
  }

  async close(actor: Actor, id: Types.ObjectId): Promise<void> {
    await this.broadcasts.close(actor, id);
  }

  async reveal(actor: Actor, id: Types.ObjectId): Promise<void> {
    await this.broadcasts.reveal(actor, id);
  }
}

const utc = (date: Date | string): string =>
  new Date(date).toISOString().replace('T', ' ').slice(0, 19) + ' UTC';

/**
 * A broadcast in the live room's list: a question's title, or a run's message (kind 'run') by
 * its set's title, linked to its run page (it has no results of its own).
 */
function broadcastRow(
  broadcast: Awaited<ReturnType<BroadcastsService['listForMeeting']>>[number]['broadcast'],
  recipients: number,
): BroadcastRow {
  const common = { mode: broadcast.mode, created_at: utc(broadcast.created_at), recipients };
  if (broadcast.kind === 'run' && broadcast.run_id) {
    return {
      ...common,
      href: `/console/runs/${broadcast.run_id.toHexString()}`,
      title: broadcast.message ?? 'A question set',
      note: 'run message',
    };
  }
  return {
    ...common,
    href: `/console/broadcasts/${broadcast._id.toHexString()}`,
    title: broadcast.question?.title ?? null,
    note: null,
  };
}

function toRow(q: BankQuestion): QuestionRow {
  const body = withTypeDefaults(q);
  return {
    id: q._id.toHexString(),
    title: q.title,
    question_text: q.question_text,
    kind: QUESTION_KINDS[body.type],
    asks: asksOf(body),
    right: rightAnswerOf(body),
    time_limit: q.time_limit,
    points: q.points,
    category: q.category,
  };
}

/** What a question asks participants for, in the list's words. */
function asksOf(q: QuestionBody): string {
  switch (q.type) {
    case 'rating':
      return q.scale ? `${q.scale.min} to ${q.scale.max}` : '';
    case 'numeric':
      return q.unit ? `A number (${q.unit})` : 'A number';
    case 'text':
      return `Text, up to ${q.max_length ?? QUESTION_LIMITS.text.maxLength} characters`;
    default:
      return q.options.map((o, i) => `${optionLetter(i)}. ${o}`).join(', ');
  }
}

/** The right answer in the list's words (option letters as the list shows them), or null. */
function rightAnswerOf(q: QuestionBody): string | null {
  if (!isScored(q)) return null;
  const letter = (i: number) => `${optionLetter(i)}. ${q.options[i] ?? ''}`;
  switch (q.type) {
    case 'single':
    case 'true_false':
      return q.correct_answer === null ? null : letter(q.correct_answer);
    case 'multiple':
      return (q.correct_answers ?? []).map(letter).join(', ');
    case 'numeric': {
      const value = describeAnswer(q, { value: q.correct_value ?? 0 });
      return q.tolerance ? `${value} (± ${q.tolerance})` : value;
    }
    case 'text':
      return (q.accepted_answers ?? []).join(' / ');
    case 'ranking':
      return describeAnswer(q, { order: q.correct_order ?? [] }, String, (i) => optionLetter(i));
    case 'rating':
      return null;
  }
}

function formValues(body: FormBody): QuestionFormValues {
  const values = { ...EMPTY_QUESTION_FORM };
  for (const { name } of FORM_FIELDS) values[name] = field(body, name);
  if (values.type === '') values.type = DEFAULT_QUESTION_TYPE;
  return values;
}

/** A stored question as the form shows it: option numbers 1-based, lists one per line or comma. */
function formOf(q: BankQuestion): QuestionFormValues {
  const body = withTypeDefaults(q);
  const numbers = (indexes: number[] | null) => (indexes ?? []).map((i) => i + 1).join(', ');
  const text = (n: number | null) => (n === null ? '' : String(n));
  return {
    ...EMPTY_QUESTION_FORM,
    type: body.type,
    title: q.title,
    question_text: q.question_text,
    options: body.type === 'true_false' ? '' : body.options.join('\n'),
    correct_answer:
      body.type === 'single' && body.correct_answer !== null ? String(body.correct_answer + 1) : '',
    correct_answers: numbers(body.correct_answers),
    max_choices: text(body.max_choices),
    true_false:
      body.type !== 'true_false' || body.correct_answer === null
        ? ''
        : body.correct_answer === 0
          ? 'true'
          : 'false',
    scale_min: body.scale ? String(body.scale.min) : EMPTY_QUESTION_FORM.scale_min,
    scale_max: body.scale ? String(body.scale.max) : EMPTY_QUESTION_FORM.scale_max,
    min_label: body.scale?.min_label ?? '',
    max_label: body.scale?.max_label ?? '',
    correct_value: text(body.correct_value),
    tolerance: body.correct_value === null || !body.tolerance ? '' : String(body.tolerance),
    unit: body.unit ?? '',
    accepted_answers: (body.accepted_answers ?? []).join('\n'),
    max_length: body.max_length === null ? EMPTY_QUESTION_FORM.max_length : String(body.max_length),
    correct_order: numbers(body.correct_order),
    time_limit: String(q.time_limit),
    points: String(q.points),
    difficulty: q.difficulty,
    category: q.category,
    tags: q.tags.join(', '),
  };
}

/**
 * The form's strings as the API's JSON body, with the fields of the chosen type only (the
 * form shows every type's part without JavaScript): options one per line, option numbers
 * 1-based, lists separated by commas, a decimal comma accepted in numbers.
 */
function dtoFromForm(values: QuestionFormValues): Record<string, unknown> {
  const trimmed = (text: string): string | undefined =>
    text.trim() === '' ? undefined : text.trim();
  const number = (text: string): number | undefined => {
    const t = trimmed(text);
    return t === undefined ? undefined : Number(t.replace(',', '.'));
  };
  const lines = (text: string) =>
    text
      .split(/\r?\n/)
      .map((o) => o.trim())
      .filter((o) => o !== '');
  const indexes = (text: string) =>
    text
      .split(',')
      .map((n) => n.trim())
      .filter((n) => n !== '')
      .map((n) => Number(n) - 1);
  const common = {
    type: values.type,
    title: values.title,
    question_text: values.question_text,
    time_limit: number(values.time_limit) ?? QUESTION_DEFAULTS.time_limit,
    points: number(values.points) ?? QUESTION_DEFAULTS.points,
    difficulty: values.difficulty.trim() || QUESTION_DEFAULTS.difficulty,
    category: values.category.trim() || QUESTION_DEFAULTS.category,
    tags: values.tags
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t !== ''),
  };
  const correct = number(values.correct_answer);
  switch (values.type) {
    case 'single':
      return {
        ...common,
        options: lines(values.options),
        correct_answer: correct === undefined ? null : correct - 1,
      };
    case 'multiple':
      return {
        ...common,
        options: lines(values.options),
        correct_answers: indexes(values.correct_answers),
        max_choices: number(values.max_choices) ?? null,
      };
    case 'true_false':
      return {
        ...common,
        correct_answer: values.true_false === 'true' ? 0 : values.true_false === 'false' ? 1 : null,
      };
    case 'rating':
      return {
        ...common,
        scale: {
          min: number(values.scale_min),
          max: number(values.scale_max),
          min_label: trimmed(values.min_label) ?? null,
          max_label: trimmed(values.max_label) ?? null,
        },
      };
    case 'numeric': {
      const value = number(values.correct_value);
      return {
        ...common,
        correct_value: value ?? null,
        tolerance: number(values.tolerance) ?? null,
        unit: trimmed(values.unit) ?? null,
      };
    }
    case 'text':
      return {
        ...common,
        accepted_answers: lines(values.accepted_answers),
        max_length: number(values.max_length),
      };
    case 'ranking': {
      const order = indexes(values.correct_order);
      return {
        ...common,
        options: lines(values.options),
        correct_order: order.length === 0 ? null : order,
      };
    }
    default:
      // An unknown type: the check names `type`.
      return common;
  }
}

/** The form field an API error names: the scale's parts and true/false's answer have their own. */
function formFieldOf(apiField: string, type: string): keyof QuestionFormValues {
  if (apiField === 'scale' || apiField === 'scale.min') return 'scale_min';
  if (apiField === 'scale.max') return 'scale_max';
  if (apiField === 'scale.min_label') return 'min_label';
  if (apiField === 'scale.max_label') return 'max_label';
  if (apiField === 'correct_answer' && type === 'true_false') return 'true_false';
  return apiField.split('.')[0] as keyof QuestionFormValues;
}

/** The API's messages name JSON fields; the form names them as its labels do. */
function humanize(message: string): string {
  return message
    .replace(/\s*\(\d+ to \d+\)/, '')
    .replace(/: -?\d+ is outside options/, '')
    .replace(/^correct_answer must not be less than 0$/, 'correct_answer must be 1 or more')
    .replace(
      /\bcorrect_answer must be an index into options\b/,
      'the right answer must be the number of one of the options',
    )
    .replace(
      /\bcorrect_answers must be indexes into options\b/,
      'each correct choice must be the number of one of the options',
    )
    .replace(
      /\bcorrect_order must list every option index\b/,
      'the right order must list every option number',
    )
    .replace(/\bquestion_text\b/g, 'the question')
    .replace(/\btime_limit\b/g, 'the time to answer')
    .replace(/\bcorrect_answers\b/g, 'the correct choices')
    .replace(/\bcorrect_answer\b/g, 'the right answer')
    .replace(/\bcorrect_order\b/g, 'the right order')
    .replace(/\bcorrect_value\b/g, 'the right number')
    .replace(/\bmax_choices\b/g, 'the most choices per answer')
    .replace(/\baccepted_answers\b/g, 'the accepted answers')
    .replace(/\bmax_length\b/g, 'the longest answer')
    .replace(/^(\w)/, (c) => c.toUpperCase());
}

function noticeOf(query: Record<string, unknown>): string | null {
  const done = typeof query.done === 'string' ? query.done : '';
  const make = Object.prototype.hasOwnProperty.call(NOTICES, done) ? NOTICES[done] : undefined;
  const n = Number(query.n);
  return make ? make(Number.isInteger(n) && n >= 0 ? n : 0) : null;
}
