import { BadRequestException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { Types } from 'mongoose';
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import {
  acceptsAnswersUntil,
  isQuestionBroadcast,
  windowEnd,
  type SentQuestionBroadcast,
} from '../broadcasts/broadcast.types';
import { BroadcastsService } from '../broadcasts/broadcasts.service';
import { AnswerDelivery, DeliveryLookup } from '../broadcasts/delivery-lookup.service';
import { Clock } from '../common/clock';
import { negotiateLanguage } from '../common/i18n/languages';
import { parseAnswer } from '../question-types/answer-value';
import { scoreAnswer } from '../question-types/scoring';
import { AppConfig } from '../config/app-config';
import {
  AlreadyAnsweredException,
  AnswersClosedException,
  TooManyAnswersException,
} from './answer-errors';
import { AnswerQuota } from './answer-quota';
import { AnswerQuotaService } from './answer-quota.service';
import {
  ANONYMOUS_KEY_PREFIX,
  SELF_REPORTED_KEY_PREFIX,
  answerValueOf,
  type AnswerEvent,
  type AnswerRecord,
  type ReadAnswer,
  type StoredAnswer,
} from './answer.types';
import { AnswersRepository } from './answers.repository';
import type { SubmitAnswerDto } from './dto/submit-answer.dto';

/** What a token opens: one recipient's (or, in channel mode, the channel's) answer window. */
export interface AnswerContext {
  broadcast: SentQuestionBroadcast;
  delivery: AnswerDelivery;
  /** When this recipient's message went out: the start of their window and of their latency. */
  sentAt: Date;
  /** The end of this recipient's window: their own, or the instructor's close if earlier. */
  closesAt: Date;
  /** The last moment an answer is taken (acceptsAnswersUntil in broadcast.types.ts). */
  acceptsUntil: Date;
  /** The instructor revealed the right answer (POST /api/broadcasts/{id}/reveal). */
  revealed: boolean;
}

export type PageState =
  | { kind: 'open'; context: AnswerContext; remainingMs: number }
  /** `answer` is null on an anonymous question: the link no longer leads to its answer. */
  | { kind: 'answered'; context: AnswerContext; answer: StoredAnswer | null }
  | { kind: 'closed'; context: AnswerContext };

export interface SubmittedAnswer {
  context: AnswerContext;
  /** The answer as stored (its value, scoring, and on an anonymous question no identity). */
  answer: ReadAnswer;
}

/** What the answer path takes from the HTTP request besides the body. */
export interface AnswerRequest {
  /** request.ip: the socket peer, or behind a proxy named in TRUST_PROXY the address it forwards. */
  clientAddress: string;
  /** The Accept-Language header: the page language the answer is stored with. */
  acceptLanguage: string | undefined;
}

/**
 * An answer to one question of a run (issue 16), given through the person's run link. The runs
 * module decides which question is current for the person and until when it takes answers; this
 * service parses, scores, stores (once per person and step: the unique index, or for an
 * anonymous run the caller's own count) and emits it like any other answer.
 */
export interface StepAnswerInput {
  /** The step broadcast (SentBroadcast.run_id set): its snapshot scores the answer. */
  step: SentQuestionBroadcast;
  /** The person's delivery of the run broadcast: who answered (unless anonymous). */
  delivery: AnswerDelivery;
  /** When this person's window on this question opened: their latency counts from here. */
  openedAt: Date;
  /** The last moment an answer is taken (the deadline plus ANSWER_GRACE_SECONDS, or a close). */
  acceptsUntil: Date;
  /** The run's speed scoring (never for an anonymous run). */
  speedScoring: boolean;
  body: SubmitAnswerDto;
  request: AnswerRequest;
  /** Taken as the request reached the service. */
  now: Date;
  /**
   * An anonymous run (required then): the caller's count of one answer per person and question
   * (the answer names nobody, so the unique index cannot keep it). Taken before the answer is
   * stored, given back if it cannot be.
   */
  anonymousCount?: AnswerCount;
}

/** A count of one answer per link and question, kept outside the answers (anonymous answers). */
export interface AnswerCount {
  /** Counts the answer; false when this link already answered (the answer is then refused). */
  take(): Promise<boolean>;
  /** Takes the count back (the answer could not be stored), so the person may try again. */
  giveBack(): Promise<void>;
}

export type { AnswerEvent } from './answer.types';

@Injectable()
export class AnswersService {
  /** 'answer' events (AnswerEvent) from this instance; LiveAnswersService adds other instances'. */
  readonly events = new EventEmitter();
  private readonly logger = new Logger(AnswersService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly broadcasts: BroadcastsService,
    private readonly deliveries: DeliveryLookup,
    private readonly answers: AnswersRepository,
    private readonly clock: Clock,
    /** Answers accepted per link per client address (ANSWERS_PER_LINK_PER_ADDRESS). */
    private readonly quota: AnswerQuotaService,
  ) {
    this.events.setMaxListeners(0);
  }

  /** GET /q/{token}: what the participant should see now. */
  async pageState(token: string): Promise<PageState> {
    const now = this.clock.now();
    const context = await this.resolve(token);
    if (context.broadcast.anonymous) {
      // Nothing leads from the link to its answer: only that it was answered.
      if (await this.broadcasts.isAnswered(context.delivery._id)) {
        return { kind: 'answered', context, answer: null };
      }
    } else if (context.broadcast.mode === 'direct') {
      const answer = await this.answers.findForRecipient(
        context.broadcast._id,
        context.delivery.recipient_key,
      );
      if (answer) return { kind: 'answered', context, answer };
    }
    // The page closes at the deadline itself; the grace period is only for answers in flight.
    const remainingMs = context.closesAt.getTime() - now.getTime();
    return remainingMs > 0 ? { kind: 'open', context, remainingMs } : { kind: 'closed', context };
  }

  /**
   * POST /q/{token}/answer. `clientAddress` is the request's client address (request.ip, which
   * TRUST_PROXY makes the real client's behind a reverse proxy). `now` is taken as the request
   * reaches the service, before any database work: time an answer spends queued on our side
   * during a burst costs no points.
   */
  async submit(
    token: string,
    input: SubmitAnswerDto,
    request: AnswerRequest,
  ): Promise<SubmittedAnswer> {
    const now = this.clock.now();
    const context = await this.resolve(token);
    const { broadcast, delivery } = context;
    const answer = await this.accept({
      broadcast,
      body: input,
      request,
      now,
      openedAt: context.sentAt,
      acceptsUntil: context.acceptsUntil,
      speedScoring: this.config.answers.speedScoring,
      identity: () => identityOf(broadcast, delivery, input),
      quotaKey: AnswerQuota.key(delivery._id.toHexString(), request.clientAddress),
      // Only a channel's named link can store more than one answer: the quota across instances.
      sharedQuota: broadcast.mode === 'channel' && !broadcast.anonymous,
      store: (stored) =>
        broadcast.anonymous
          ? this.storeAnonymous(this.deliveryCount(delivery._id), stored)
          : this.answers.insertFirst(stored),
    });
    return { context, answer };
  }

  /**
   * POST /r/{token}/answer (issue 16): StepAnswerInput. 400 for a bad value (naming the field),
   * 410 past `acceptsUntil`, 409 when this person already answered this step. The same rules as
   * `submit` (one `accept`), with the window the run gives and the run delivery as the person: the
   * unique (broadcast_id = step, recipient_key) index keeps one answer per person and question;
   * on an anonymous run the caller's count (StepAnswerInput.anonymousCount) keeps it instead.
   */
  async submitStep(input: StepAnswerInput): Promise<ReadAnswer> {
    const { step, delivery, request, anonymousCount } = input;
    if (step.anonymous && !anonymousCount) {
      throw new Error("submitStep: an anonymous step needs the caller's anonymousCount");
    }
    return this.accept({
      broadcast: step,
      body: input.body,
      request,
      now: input.now,
      openedAt: input.openedAt,
      acceptsUntil: input.acceptsUntil,
      speedScoring: input.speedScoring,
      // A run link is always one person's (never a channel's shared link).
      identity: () => (step.anonymous ? anonymousIdentity() : directIdentity(delivery)),
      // Per link and question: one run link answers every question of the run, each once.
      quotaKey: AnswerQuota.key(
        `${delivery._id.toHexString()}:${step._id.toHexString()}`,
        request.clientAddress,
      ),
      sharedQuota: false,
      store: (stored) =>
        step.anonymous && anonymousCount
          ? this.storeAnonymous(anonymousCount, stored)
          : this.answers.insertFirst(stored),
    });
  }

  /**
   * The one answer path behind `submit` and `submitStep`: parse the value for the question,
   * refuse it past the window (410), score it (latency from `openedAt`), check the per-link
   * quota, store it once (409 when the person already answered) and tell the live streams.
   */
  private async accept(args: {
    broadcast: SentQuestionBroadcast;
    body: SubmitAnswerDto;
    request: AnswerRequest;
    now: Date;
    openedAt: Date;
    acceptsUntil: Date;
    speedScoring: boolean;
    identity: () => Identity;
    quotaKey: string;
    sharedQuota: boolean;
    store: (answer: ReadAnswer) => Promise<boolean>;
  }): Promise<ReadAnswer> {
    const { broadcast, now, request, quotaKey, sharedQuota } = args;
    const { question } = broadcast;
    const parsed = parseAnswer(question, { ...args.body });
    if (!parsed.ok) {
      throw new BadRequestException({
        message: parsed.reason,
        details: [{ field: parsed.field, errors: [parsed.reason] }],
      });
    }
    const closedAt = args.acceptsUntil.getTime();
    if (now.getTime() > closedAt) throw new AnswersClosedException();
    const who = args.identity();
    const latencyMs = Math.max(0, now.getTime() - args.openedAt.getTime());
    // Anonymous: no speed factor, as the score would encode the latency (see identityOf).
    const { correct, credit, score } = scoreAnswer(
      question,
      parsed.value,
      latencyMs,
      args.speedScoring && !broadcast.anonymous,
    );
    const answer: ReadAnswer = {
      _id: new Types.ObjectId(),
      broadcast_id: broadcast._id,
      meeting_id: broadcast.meeting_id,
      ...who,
      ...parsed.value,
      correct,
      credit,
      score,
      answered_at: now,
      latency_ms: broadcast.anonymous ? null : latencyMs,
      lang: negotiateLanguage(request.acceptLanguage),
      anonymous: broadcast.anonymous,
    };
    if (!(await this.quota.reserve(quotaKey, new Date(closedAt), now.getTime(), sharedQuota))) {
      const limit = this.config.answers.perLinkPerAddress;
      throw new TooManyAnswersException(
        Math.max(1, Math.ceil((closedAt - now.getTime()) / 1000)),
        `This link has already taken ${limit} answer${limit === 1 ? '' : 's'} from your network address`,
      );
    }
    let stored: boolean;
    try {
      stored = await args.store(answer);
    } catch (error) {
      this.quota.release(quotaKey, sharedQuota);
      throw error;
    }
    if (!stored) {
      this.quota.release(quotaKey, sharedQuota);
      throw new AlreadyAnsweredException();
    }
    this.events.emit('answer', answerEvent(answer));
    return answer;
  }

  /** An anonymous question's count of one answer per link: the delivery's `answered` flag. */
  private deliveryCount(deliveryId: Types.ObjectId): AnswerCount {
    return {
      take: () => this.broadcasts.markAnswered(deliveryId),
      giveBack: () => this.broadcasts.unmarkAnswered(deliveryId),
    };
  }

  /**
   * An anonymous answer: `count` counts it (once: a second answer on the link is refused there,
   * as the unique index refuses it for other answers; the delivery's flag for a question, the
   * run's progress for a run's question), then the answer is stored with a
   * key of nobody. Counted first, so two concurrent answers on one link cannot both be stored;
   * if the answer cannot be stored the count is taken back, so the person can try again.
   */
  private async storeAnonymous(count: AnswerCount, answer: ReadAnswer): Promise<boolean> {
    if (!(await count.take())) return false;
    try {
      if (await this.answers.insertFirst(answer)) return true;
      // A random 128-bit key met an existing one: not "already answered".
      throw new Error('Anonymous answer key collided');
    } catch (error) {
      await count.giveBack().catch((undo: Error) => {
        // No delivery id here: a line naming it at the answer's time is what this path avoids.
        this.logger.error(
          `An anonymous answer was not stored and its link could not be freed (${undo.message}): that link now answers 409`,
        );
      });
      throw error;
    }
  }

  private async resolve(token: string): Promise<AnswerContext> {
    const delivery = await this.deliveries.byToken(token);
    if (!delivery) throw linkNotFound();
    const [broadcast, controls] = await Promise.all([
      this.broadcast(delivery.broadcast_id),
      // Read on every answer, never cached: a close on any instance must stop answers at once.
      this.broadcasts.controls(delivery.broadcast_id).catch((error: unknown) => {
        if (error instanceof NotFoundException) return null;
        throw error;
      }),
    ]);
    // Link broadcasts (the original API) send someone else's URL: their tokens open nothing here.
    if (!broadcast || !controls) throw linkNotFound();
    // Zoom may deliver the message a moment before the sender records sent_at (or accept it and
    // lose the answer, leaving sent_at unset for good). Anchor such a window to the delivery's
    // creation: a fixed start, so the window always ends, instead of "now", which never would.
    const sentAt = delivery.sent_at ?? delivery._id.getTimestamp();
    const ownEnd =
      delivery.closes_at ?? new Date(sentAt.getTime() + broadcast.question.time_limit * 1000);
    return {
      broadcast,
      delivery,
      sentAt,
      closesAt: windowEnd(ownEnd, controls.closed_at),
      acceptsUntil: acceptsAnswersUntil(
        ownEnd,
        controls.closed_at,
        this.config.answers.graceSeconds * 1000,
      ),
      revealed: controls.revealed_at !== null,
    };
  }

  /** The question broadcast a delivery belongs to; null for a link broadcast (or none). */
  private async broadcast(id: Types.ObjectId): Promise<SentQuestionBroadcast | null> {
    try {
      const broadcast = await this.broadcasts.sent(id);
      return isQuestionBroadcast(broadcast) ? broadcast : null;
    } catch (error) {
      if (error instanceof NotFoundException) return null;
      throw error;
    }
  }
}

function linkNotFound(): NotFoundException {
  return new NotFoundException('This answer link is not valid');
}

type Identity = Pick<
  AnswerRecord,
  'recipient_key' | 'name' | 'email' | 'self_reported' | 'delivery_id'
>;

/**
 * Who the stored answer says answered. Direct: the person Zoom identified, to whom the personal
 * link was sent. Channel: only what was typed. Anonymous: nobody (docs/architecture.md §6): a
 * random key, no name, email or delivery; the answer's latency is not kept either, since
 * answered_at − latency_ms is the recipient's sent_at, which would name them.
 */
function identityOf(
  broadcast: SentQuestionBroadcast,
  delivery: AnswerDelivery,
  input: SubmitAnswerDto,
): Identity {
  if (broadcast.anonymous) return anonymousIdentity();
  if (broadcast.mode === 'channel') return { ...channelIdentity(input), delivery_id: delivery._id };
  return directIdentity(delivery);
}

/** Nobody: a random key, no name, email or delivery (identityOf says why). */
function anonymousIdentity(): Identity {
  return {
    recipient_key: `${ANONYMOUS_KEY_PREFIX}${randomBytes(16).toString('hex')}`,
    name: '',
    email: null,
    self_reported: false,
    delivery_id: null,
  };
}

/** The person Zoom identified, to whom the personal link (a question's or a run's) was sent. */
function directIdentity(delivery: AnswerDelivery): Identity {
  return {
    recipient_key: delivery.recipient_key,
    name: delivery.name,
    email: delivery.email,
    self_reported: false,
    delivery_id: delivery._id,
  };
}

/** The live event of a stored answer: its value and scoring, never who gave it. */
function answerEvent(answer: ReadAnswer): AnswerEvent {
  return {
    broadcastId: answer.broadcast_id.toHexString(),
    answerId: answer._id.toHexString(),
    ...answerValueOf(answer),
    correct: answer.correct,
    credit: answer.credit,
    score: answer.score,
    anonymous: answer.anonymous,
    lang: answer.lang,
  };
}

/**
 * Channel mode: one link for the whole meeting chat, so the person names themselves. Such an
 * identity is a claim (anyone can type anyone's email), so it is keyed `self:` + the lower-cased
 * email: never a Zoom person key, so it cannot take over a Zoom-identified person's answers or
 * leaderboard row, and it is marked self-reported wherever it is shown.
 */
function channelIdentity(input: SubmitAnswerDto): {
  recipient_key: string;
  name: string;
  email: string;
  self_reported: true;
} {
  if (!input.name || !input.email) {
    const missing = [!input.name && 'name', !input.email && 'email'].filter(
      (f): f is string => typeof f === 'string',
    );
    throw new BadRequestException({
      message: 'Enter your name and email before answering',
      details: missing.map((field) => ({ field, errors: [`${field} is required`] })),
    });
  }
  const email = input.email.toLowerCase();
  return {
    recipient_key: `${SELF_REPORTED_KEY_PREFIX}${email}`,
    name: input.name,
    email,
    self_reported: true,
  };
}
