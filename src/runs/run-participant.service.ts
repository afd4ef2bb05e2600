import { ConflictException, GoneException, Injectable, NotFoundException } from '@nestjs/common';
import type { AnswerRequest } from '../answers/answers.service';
import { AnswersService } from '../answers/answers.service';
import { AnswerRecordsService } from '../answers/answer-records.service';
import type { ReadAnswer, StoredAnswer } from '../answers/answer.types';
import type { SubmitAnswerDto } from '../answers/dto/submit-answer.dto';
import {
  acceptsAnswersUntil,
  isQuestionBroadcast,
  windowEnd,
  type SentQuestionBroadcast,
} from '../broadcasts/broadcast.types';
import { BroadcastsService } from '../broadcasts/broadcasts.service';
import { AnswerDelivery, DeliveryLookup } from '../broadcasts/delivery-lookup.service';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import type { TallyDto } from '../results/dto/results.response';
import { ResultsService } from '../results/results.service';
import {
  instructorPhase,
  phaseIndex,
  selfPacedStep,
  type RunPhase,
  type RunPhaseName,
} from './run-phase';
import { RunProgressRepository } from './run-progress.repository';
import type { RunRecord, RunState } from './run.types';
import { RunsService } from './runs.service';

/** What a run link opens: the person's run delivery and the run as stored now. */
export interface RunLink {
  delivery: AnswerDelivery;
  run: RunRecord;
}

/** What one person's run page shows now (RunPhase, and what the phase is about). */
export interface RunView {
  link: RunLink;
  phase: RunPhase;
  /** The step broadcast of the phase's question (null: starting, done, ended). */
  step: SentQuestionBroadcast | null;
  /** The instructor revealed the step's right answer. */
  revealed: boolean;
  /** This person's answer to the step (null: none, or an anonymous run's). */
  answer: StoredAnswer | null;
  /** Whether this person answered the step (also on an anonymous run). */
  answered: boolean;
  now: Date;
  /**
   * Self pacing, on the answer path only: the person's question has not been opened (an answer
   * sent without viewing it); the answer opens it if it names it, and only then.
   */
  unopened?: boolean;
}

/** An answer taken through a run link. */
export interface RunAnswered {
  view: RunView;
  step: SentQuestionBroadcast;
  answer: ReadAnswer;
  /** The question's position in the run. */
  index: number;
  /** Self pacing: the person moved on to this question (steps.length: past the last). */
  nextIndex: number | null;
}

/** The final screen's figures: the person's total, and rank among everyone who answered. */
export interface RunStanding {
  total: number;
  /** Null on an anonymous run (its answers name no one) or when the person answered nothing. */
  rank: number | null;
  of: number;
}

/** GET /r/{token}/state (and the page's Accept: JSON): RunStateDto. */
export interface RunPageState {
  title: string;
  pacing: RunRecord['pacing'];
  run_state: RunState;
  version: number;
  phase: RunPhaseName;
  question_index: number | null;
  question_count: number;
  question_id: string | null;
  deadline: string | null;
  remaining_ms: number | null;
  answered: boolean;
}

/** A run answer's body: the question it answers and its type's value field. */
export type RunAnswerBody = SubmitAnswerDto & { question_id: string };

/** 409: the answer names a question that is not this person's current one. */
export class NotCurrentQuestionException extends ConflictException {
  constructor(readonly currentQuestionId: string | null) {
    super({
      message:
        currentQuestionId === null
          ? 'This run has no question open for you now: the answer was not stored'
          : `This question is not your current one (that is ${currentQuestionId}): the answer was not stored`,
      error: 'not_current_question',
      details: [
        {
          field: 'question_id',
          errors: ['not the current question'],
          current_question_id: currentQuestionId,
        },
      ],
    });
  }
}

/** Reads of everyone's results of one step or run are shared for this long (a reload storm). */
const SHARED_READ_MS = 2_000;
/** A self-paced read opens or moves on at most once per question (plus a few): a safety bound. */
const MAX_PROGRESS_STEPS = 4;

/**
 * The participant's side of a run (issue 16, docs/architecture.md §28): what a run link opens
 * (token -> run delivery -> run broadcast of kind 'run' -> run), the person's phase and question
 * (run-phase.ts), their answers (AnswersService.submitStep, under the step broadcast's id), and
 * the class's results between questions and the final standing.
 */
@Injectable()
export class RunParticipantService {
  private readonly shared = new Map<string, { at: number; value: Promise<unknown> }>();

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly deliveries: DeliveryLookup,
    private readonly broadcasts: BroadcastsService,
    private readonly runs: RunsService,
    private readonly answers: AnswersService,
    private readonly records: AnswerRecordsService,
    private readonly results: ResultsService,
    private readonly progress: RunProgressRepository,
  ) {}

  /**
   * The run a token opens; 404 for an unknown token and for any token that is not a run link
   * (a question's `/q/` link among them), the same answer for all.
   */
  async resolve(token: string): Promise<RunLink> {
    const delivery = await this.deliveries.byToken(token);
    if (!delivery) throw runLinkNotFound();
    const broadcast = await this.broadcasts.sent(delivery.broadcast_id).catch((error: unknown) => {
      if (error instanceof NotFoundException) return null;
      throw error;
    });
    if (!broadcast || broadcast.kind !== 'run' || !broadcast.run_id) throw runLinkNotFound();
    const run = await this.runs.byId(broadcast.run_id);
    if (!run) throw runLinkNotFound();
    return { delivery, run };
  }

  /**
   * What the person sees now; a self-paced read that `open`s (the page itself, shown to the
   * person) starts the clock on their question or moves them on first. Reads that show no
   * question (the polling fallback's /state, a HEAD from a link preview) pass `open` false, so
   * a question's time starts only when the person is shown it.
   */
  async view(token: string, open = true, now = this.clock.now()): Promise<RunView> {
    return this.viewOf(await this.resolve(token), now, open);
  }

  /**
   * `open` false (the answer path): a question not opened yet is not opened by this read (an
   * answer naming another question must not start its clock); the view says so (`unopened`).
   */
  async viewOf(link: RunLink, now: Date, open = true): Promise<RunView> {
    const { run, delivery } = link;
    const key = delivery.recipient_key;
    const graceMs = this.config.answers.graceSeconds * 1000;
    if (run.pacing === 'instructor') {
      if (run.state !== 'running' || !run.steps[run.current_index]) {
        return this.withStep(link, instructorPhase(run, now, notAnswered(graceMs)), now);
      }
      const index = run.current_index;
      const [step, answered] = await Promise.all([
        this.step(run, index),
        this.answeredStep(run, key, index),
      ]);
      const controls = await this.broadcasts.controls(step._id);
      const phase = instructorPhase(run, now, {
        answered: answered.answered,
        closedAt: controls.closed_at,
        graceMs,
        message: { createdAt: delivery._id.getTimestamp(), sentAt: delivery.sent_at },
      });
      return {
        link,
        phase,
        step,
        revealed: controls.revealed_at !== null,
        ...answered,
        now,
      };
    }
    for (let i = 0; i < run.steps.length + MAX_PROGRESS_STEPS; i++) {
      const progress = await this.progress.read(run._id, key);
      const answered = run.steps[progress.index]
        ? (await this.answeredStep(run, key, progress.index, progress.answered)).answered
        : false;
      const next = selfPacedStep(run, progress, now, { answered, graceMs });
      if (next.kind === 'phase') return this.withStep(link, next.phase, now);
      if (next.kind === 'open' && !open) {
        const deadline = windowEnd(
          new Date(now.getTime() + run.steps[next.index].time_limit * 1000),
          run.ends_at,
        );
        const phase: RunPhase = {
          phase: 'question',
          index: next.index,
          openedAt: now,
          deadline,
          acceptsUntil: acceptsAnswersUntil(deadline, run.ends_at, graceMs),
        };
        return { ...(await this.withStep(link, phase, now)), unopened: true };
      }
      if (next.kind === 'open') await this.progress.open(run._id, key, next.index, now);
      else await this.progress.advance(run._id, key, next.from);
    }
    throw new Error('A self-paced run read did not settle');
  }

  /**
   * POST /r/{token}/answer: the answer to the person's current question, which the body names
   * (409 with the current one's id otherwise, storing nothing). Stored under the step's id.
   */
  async answer(token: string, body: RunAnswerBody, request: AnswerRequest): Promise<RunAnswered> {
    const now = this.clock.now();
    const link = await this.resolve(token);
    const { run, delivery } = link;
    const view = await this.viewOf(link, now, false);
    const { phase } = view;
    if (phase.phase === 'ended') throw new RunEndedException();
    const index = phaseIndex(phase);
    const current = index === null ? null : run.steps[index].question_id.toHexString();
    if (current === null || current !== body.question_id || !view.step) {
      throw new NotCurrentQuestionException(current);
    }
    if (index === null || !('acceptsUntil' in phase)) throw new NotCurrentQuestionException(null);
    const { question_id: _named, ...value } = body;
    void _named;
    const key = delivery.recipient_key;
    // Answered without viewing it first: the question opens now, so its clock counts from here.
    if (view.unopened) await this.progress.open(run._id, key, index, now);
    const answer = await this.answers.submitStep({
      step: view.step,
      delivery,
      openedAt: phase.openedAt,
      acceptsUntil: phase.acceptsUntil,
      speedScoring: run.speed_scoring && !run.anonymous,
      body: value,
      request,
      now,
      anonymousCount: run.anonymous
        ? {
            take: () => this.progress.countAnswer(run._id, key, index),
            giveBack: () => this.progress.uncountAnswer(run._id, key, index),
          }
        : undefined,
    });
    let nextIndex: number | null = null;
    if (run.pacing === 'self') {
      await this.progress.advance(run._id, key, index);
      nextIndex = index + 1;
    }
    return { view, step: view.step, answer, index, nextIndex };
  }

  /** The JSON state of a view (GET /r/{token}/state). */
  stateOf(view: RunView): RunPageState {
    const { run } = view.link;
    const { phase } = view;
    const index = phaseIndex(phase);
    const deadline = 'deadline' in phase ? phase.deadline : null;
    return {
      title: run.title,
      pacing: run.pacing,
      run_state: run.state,
      version: run.version,
      phase: phase.phase,
      question_index: index,
      question_count: run.steps.length,
      question_id: index === null ? null : run.steps[index].question_id.toHexString(),
      deadline: deadline ? deadline.toISOString() : null,
      remaining_ms:
        phase.phase === 'question' && deadline
          ? Math.max(0, deadline.getTime() - view.now.getTime())
          : null,
      answered: view.answered,
    };
  }

  /** The class's results of a step (counts only), shared across a burst of reloads. */
  async stepResults(step: SentQuestionBroadcast): Promise<TallyDto> {
    return this.sharedRead(`tally:${step._id.toHexString()}`, async () =>
      (await this.results.tally(step)).counts.toDto(10),
    );
  }

  /** The person's total over the run and their rank among everyone who answered. */
  async standing(link: RunLink): Promise<RunStanding | null> {
    const { run, delivery } = link;
    if (run.anonymous) return null;
    const totals = await this.sharedRead(`totals:${run._id.toHexString()}`, () =>
      this.records.totalsFor(run.steps.map((s) => s.broadcast_id)),
    );
    const mine = totals.find((t) => t.recipient_key === delivery.recipient_key);
    if (!mine) return { total: 0, rank: null, of: totals.length };
    return {
      total: mine.score,
      rank: 1 + totals.filter((t) => t.score > mine.score).length,
      of: totals.length,
    };
  }

  private async withStep(link: RunLink, phase: RunPhase, now: Date): Promise<RunView> {
    const index = phaseIndex(phase);
    if (index === null) {
      return { link, phase, step: null, revealed: false, answer: null, answered: false, now };
    }
    const { run, delivery } = link;
    const [step, answered] = await Promise.all([
      this.step(run, index),
      this.answeredStep(run, delivery.recipient_key, index),
    ]);
    const controls = await this.broadcasts.controls(step._id);
    return { link, phase, step, revealed: controls.revealed_at !== null, ...answered, now };
  }

  private async step(run: RunRecord, index: number): Promise<SentQuestionBroadcast> {
    const step = await this.broadcasts.sent(run.steps[index].broadcast_id);
    if (!isQuestionBroadcast(step)) {
      throw new Error(`Run ${run._id.toHexString()} step ${index} is not a question broadcast`);
    }
    return step;
  }

  /** Whether (and with what) the person answered the question at `index`. */
  private async answeredStep(
    run: RunRecord,
    key: string,
    index: number,
    counted?: number[],
  ): Promise<{ answered: boolean; answer: StoredAnswer | null }> {
    if (run.anonymous) {
      const list = counted ?? (await this.progress.read(run._id, key)).answered;
      return { answered: list.includes(index), answer: null };
    }
    const answer = await this.records.forRecipient(run.steps[index].broadcast_id, key);
    return { answered: answer !== null, answer };
  }

  private sharedRead<T>(key: string, read: () => Promise<T>): Promise<T> {
    const now = performance.now();
    const hit = this.shared.get(key);
    if (hit && now - hit.at < SHARED_READ_MS) return hit.value as Promise<T>;
    const value = read();
    this.shared.set(key, { at: now, value });
    value.catch(() => this.shared.delete(key));
    if (this.shared.size > 1_000) {
      for (const [k, v] of this.shared) if (now - v.at >= SHARED_READ_MS) this.shared.delete(k);
    }
    return value;
  }
}

/** 410: the run is over; nothing more is taken through its links. */
export class RunEndedException extends GoneException {
  constructor() {
    super({ message: 'This run has ended: answers are closed', error: 'closed' });
  }
}

function runLinkNotFound(): NotFoundException {
  return new NotFoundException('This run link is not valid');
}

function notAnswered(graceMs: number): { answered: false; closedAt: null; graceMs: number } {
  return { answered: false, closedAt: null, graceMs };
}
