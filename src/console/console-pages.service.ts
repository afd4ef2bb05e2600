import { ConflictException, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { Types } from 'mongoose';
import { hasRole, type Actor } from '../common/auth/actor';
import { Clock } from '../common/clock';
import { BroadcastsService } from '../broadcasts/broadcasts.service';
import { ParticipantsService, RECENT_MEETINGS } from '../participants/participants.service';
import { checkQuestionBody } from '../questions/dto/check-question-body';
import { DIFFICULTIES, QUESTION_DEFAULTS } from '../questions/question.types';
import { QuestionsService } from '../questions/questions.service';
import { ResultsService } from '../results/results.service';
import {
  EMPTY_QUESTION_FORM,
  FORM_FIELDS,
  NOTICES,
  renderDeleteQuestion,
  renderMeetings,
  renderPresenter,
  renderQuestionForm,
  renderQuestions,
  renderResults,
  renderRoom,
  type QuestionFormValues,
  type QuestionRow,
} from './page/console.view';

/** A posted form: urlencoded fields (a repeated field arrives as an array). */
export type FormBody = Record<string, string | string[] | undefined>;

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
    return this.questionForm(actor, csrf, id.toHexString(), {
      title: q.title,
      question_text: q.question_text,
      options: q.options.join('\n'),
      correct_answer: q.correct_answer === null ? '' : String(q.correct_answer + 1),
      time_limit: String(q.time_limit),
      points: String(q.points),
      difficulty: q.difficulty,
      category: q.category,
      tags: q.tags.join(', '),
    });
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
      const name = problem.field.split('.')[0] as keyof QuestionFormValues;
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
  ): Promise<string> {
    // Assistants neither read the bank nor send (the API's roles for those routes).
    const canSend = hasRole(actor.role, 'instructor');
    const [people, questions, broadcasts] = await Promise.all([
      this.participants.listPeople(actor, meetingId, { status: 'joined', limit: 1000 }),
      canSend ? this.questionsService.list(actor, { limit: PICKER_SIZE, page: 1 }) : { items: [] },
      this.broadcasts.listForMeeting(actor, meetingId),
    ]);
    return renderRoom({
      csrf,
      actor,
      meetingId,
      topic: people.occurrence?.topic ?? null,
      ended: people.occurrence ? people.occurrence.ended_ts !== null : false,
      people: people.items,
      questions: questions.items.map((q) => ({ id: q._id.toHexString(), title: q.title })),
      broadcasts: broadcasts.slice(0, 20).map(({ broadcast, counts }) => ({
        id: broadcast._id.toHexString(),
        title: broadcast.question?.title ?? null,
        mode: broadcast.mode,
        created_at: broadcast.created_at.toISOString().replace('T', ' ').slice(0, 19) + ' UTC',
        recipients: counts.total,
      })),
      error,
      canSend,
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

function toRow(q: {
  _id: Types.ObjectId;
  title: string;
  question_text: string;
  options: string[];
  correct_answer: number | null;
  time_limit: number;
  points: number;
  category: string;
}): QuestionRow {
  return {
    id: q._id.toHexString(),
    title: q.title,
    question_text: q.question_text,
    options: q.options,
    correct_answer: q.correct_answer ?? null,
    time_limit: q.time_limit,
    points: q.points,
    category: q.category,
  };
}

function formValues(body: FormBody): QuestionFormValues {
  const values = { ...EMPTY_QUESTION_FORM };
  for (const { name } of FORM_FIELDS) values[name] = field(body, name);
  return values;
}

/** The form's strings as the API's JSON body: options one per line, the right option 1-based. */
function dtoFromForm(values: QuestionFormValues): Record<string, unknown> {
  const number = (text: string): number | undefined =>
    text.trim() === '' ? undefined : Number(text.trim());
  const correct = number(values.correct_answer);
  return {
    title: values.title,
    question_text: values.question_text,
    options: values.options
      .split(/\r?\n/)
      .map((o) => o.trim())
      .filter((o) => o !== ''),
    correct_answer: correct === undefined ? null : correct - 1,
    time_limit: number(values.time_limit) ?? QUESTION_DEFAULTS.time_limit,
    points: number(values.points) ?? QUESTION_DEFAULTS.points,
    difficulty: values.difficulty.trim() || QUESTION_DEFAULTS.difficulty,
    category: values.category.trim() || QUESTION_DEFAULTS.category,
    tags: values.tags
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t !== ''),
  };
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
    .replace(/\bquestion_text\b/g, 'the question')
    .replace(/\btime_limit\b/g, 'the time to answer')
    .replace(/\bcorrect_answer\b/g, 'the right answer')
    .replace(/^(\w)/, (c) => c.toUpperCase());
}

function noticeOf(query: Record<string, unknown>): string | null {
  const done = typeof query.done === 'string' ? query.done : '';
  const make = Object.prototype.hasOwnProperty.call(NOTICES, done) ? NOTICES[done] : undefined;
  const n = Number(query.n);
  return make ? make(Number.isInteger(n) && n >= 0 ? n : 0) : null;
}
