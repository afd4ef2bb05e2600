import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { Types } from 'mongoose';
import { EventEmitter } from 'node:events';
import { ParticipantsService } from '../participants/participants.service';
import { isQuestionBroadcast, type SentQuestionBroadcast } from '../broadcasts/broadcast.types';
import { BroadcastsService } from '../broadcasts/broadcasts.service';
import { AnswerDelivery, DeliveryLookup } from '../broadcasts/delivery-lookup.service';
import { AppConfig } from '../config/app-config';
import { AlreadyAnsweredException, AnswersClosedException } from './answer-errors';
import type { StoredAnswer } from './answer.types';
import { AnswersRepository } from './answers.repository';
import type { SubmitAnswerDto } from './dto/submit-answer.dto';
import { scoreAnswer } from './scoring';

/** What a token opens: one recipient's (or, in channel mode, the channel's) answer window. */
export interface AnswerContext {
  broadcast: SentQuestionBroadcast;
  delivery: AnswerDelivery;
  /** When this recipient's message went out: the start of their window and of their latency. */
  sentAt: Date;
  closesAt: Date;
}

export type PageState =
  | { kind: 'open'; context: AnswerContext; remainingMs: number }
  | { kind: 'answered'; context: AnswerContext; answer: StoredAnswer }
  | { kind: 'closed'; context: AnswerContext };

export interface SubmittedAnswer {
  context: AnswerContext;
  answer: StoredAnswer;
}

/** Emitted on `AnswersService.events` as 'answer' after each stored answer (live results). */
export interface AnswerEvent {
  broadcastId: string;
  choice: number;
  correct: boolean | null;
  score: number;
}

/** How long a meeting's email → person map serves channel answers before it is read again. */
const PEOPLE_CACHE_MS = 5_000;

@Injectable()
export class AnswersService {
  /** 'answer' events (AnswerEvent) from this instance; the SSE stream also polls for others'. */
  readonly events = new EventEmitter();

  /** Per meeting: email → person key of the people in it now, briefly cached (answer bursts). */
  private readonly peopleByEmail = new Map<string, { at: number; byEmail: Map<string, string> }>();

  constructor(
    private readonly config: AppConfig,
    private readonly broadcasts: BroadcastsService,
    private readonly deliveries: DeliveryLookup,
    private readonly answers: AnswersRepository,
    private readonly participants: ParticipantsService,
  ) {
    this.events.setMaxListeners(0);
  }

  /**
   * A channel answer carries a typed email. When it is the email of someone in the meeting, the
   * answer belongs to that person's key (their Zoom user id), so the same person answering a
   * direct question and a channel question is one row on the leaderboard, not two.
   */
  private async personForChannelAnswer(
    meetingId: string,
    typed: { recipient_key: string; name: string; email: string },
  ): Promise<{ recipient_key: string; name: string; email: string }> {
    let entry = this.peopleByEmail.get(meetingId);
    if (!entry || Date.now() - entry.at > PEOPLE_CACHE_MS) {
      const byEmail = new Map<string, string>();
      for (const person of await this.participants.currentPeople(meetingId)) {
        if (person.email) byEmail.set(person.email.toLowerCase(), person.person_key);
      }
      entry = { at: Date.now(), byEmail };
      this.peopleByEmail.set(meetingId, entry);
    }
    const key = entry.byEmail.get(typed.email);
    return key ? { ...typed, recipient_key: key } : typed;
  }

  /** GET /q/{token}: what the participant should see now. */
  async pageState(token: string, now = new Date()): Promise<PageState> {
    const context = await this.resolve(token);
    if (context.broadcast.mode === 'direct') {
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
   * POST /q/{token}/answer. `now` is taken as the request reaches the service, before any
   * database work: time an answer spends queued on our side during a burst costs no points.
   */
  async submit(token: string, input: SubmitAnswerDto, now = new Date()): Promise<SubmittedAnswer> {
    const context = await this.resolve(token);
    const { broadcast, delivery } = context;
    const { question } = broadcast;
    if (input.choice >= question.options.length) {
      throw new BadRequestException({
        message: `choice must be the index of one of the ${question.options.length} options (0 to ${question.options.length - 1})`,
        details: [{ field: 'choice', errors: ['choice is not one of the options'] }],
      });
    }
    if (now.getTime() > context.closesAt.getTime() + this.config.answers.graceSeconds * 1000) {
      throw new AnswersClosedException();
    }
    const who =
      broadcast.mode === 'channel'
        ? await this.personForChannelAnswer(broadcast.meeting_id, channelIdentity(input))
        : delivery;
    const latencyMs = Math.max(0, now.getTime() - context.sentAt.getTime());
    const { correct, score } = scoreAnswer(
      question,
      input.choice,
      latencyMs,
      this.config.answers.speedScoring,
    );
    const answer: StoredAnswer = {
      _id: new Types.ObjectId(),
      broadcast_id: broadcast._id,
      meeting_id: broadcast.meeting_id,
      recipient_key: who.recipient_key,
      name: who.name,
      email: who.email,
      delivery_id: delivery._id,
      choice: input.choice,
      correct,
      score,
      answered_at: now,
      latency_ms: latencyMs,
    };
    if (!(await this.answers.insertFirst(answer))) throw new AlreadyAnsweredException();
    const event: AnswerEvent = {
      broadcastId: broadcast._id.toHexString(),
      choice: answer.choice,
      correct,
      score,
    };
    this.events.emit('answer', event);
    return { context, answer };
  }

  private async resolve(token: string): Promise<AnswerContext> {
    const delivery = await this.deliveries.byToken(token);
    if (!delivery) throw linkNotFound();
    const broadcast = await this.broadcast(delivery.broadcast_id);
    // Link broadcasts (the original API) send someone else's URL: their tokens open nothing here.
    if (!broadcast) throw linkNotFound();
    // Zoom may deliver the message a moment before the sender records sent_at (or accept it and
    // lose the answer, leaving sent_at unset for good). Anchor such a window to the delivery's
    // creation: a fixed start, so the window always ends, instead of "now", which never would.
    const sentAt = delivery.sent_at ?? delivery._id.getTimestamp();
    const closesAt =
      delivery.closes_at ?? new Date(sentAt.getTime() + broadcast.question.time_limit * 1000);
    return { broadcast, delivery, sentAt, closesAt };
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

/**
 * Channel mode: one link for the whole meeting chat, so the person names themselves. The key
 * follows the participants module's person-key rule for someone known only by email: the email,
 * lower-cased (DESIGN.md, Data).
 */
function channelIdentity(input: SubmitAnswerDto): {
  recipient_key: string;
  name: string;
  email: string;
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
  return { recipient_key: email, name: input.name, email };
}
