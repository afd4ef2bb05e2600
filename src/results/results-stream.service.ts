import {
  ForbiddenException,
  Injectable,
  NotFoundException,
  OnModuleDestroy,
  OnModuleInit,
  UnauthorizedException,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Types } from 'mongoose';
import type { Actor } from '../common/auth/actor';
import type { AnswerEvent } from '../answers/answers.service';
import { LiveAnswersService } from '../answers/live/live-answers.service';
import { BroadcastsService, type ControlsEvent } from '../broadcasts/broadcasts.service';
import { RECHECK_PROPERTY, type RequestWithRecheck } from '../common/auth/session-authenticator';
import { MetricsService } from '../metrics/metrics.service';
import type { ResultsStateDto, TallyDto } from './dto/results.response';
import { ResultsService } from './results.service';
import { hasValueFor, LiveTally, STREAM_TEXT_ANSWERS, type TallyAnswer } from './type-tally';

/** A comment line every 15 s keeps proxies and load balancers from closing an idle stream. */
export const HEARTBEAT_MS = 15_000;
/**
 * How often a broadcast's state (deadline, close, reveal) is read while it has streams open on
 * this instance: once per broadcast for all of them, for a close or reveal on another instance
 * and for the deadline moving as the last messages go out. This instance's own controls are sent
 * at once.
 */
export const STATE_POLL_MS = 3_000;
/**
 * When the feed's count of a broadcast's answers (polling, LiveAnswersService) differs from a
 * stream's, the stream recounts once no answer has reached it for this long: answers still on
 * their way explain a difference during a burst.
 */
export const RECOUNT_QUIET_MS = 2_000;
/**
 * Answers are sent to a stream at most this often: a burst of 1,000 answers in a second becomes
 * about ten `answer` events carrying the running counts, not 1,000 (the first answer after a quiet
 * spell goes out at once; the last of a burst at most this long after it arrives).
 */
export const COALESCE_MS = 100;
/**
 * How often an open stream checks that its credential still holds (RECHECK_PROPERTY) and that the
 * actor may still read the broadcast's meeting: a sign-out, a revoked key, a disabled account or a
 * withdrawn grant ends it within this plus CREDENTIAL_TRUST_MS (under 5 s).
 */
export const CREDENTIAL_RECHECK_MS = 1_000;
/** A client that stops reading is dropped rather than buffered for without limit. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

type LiveAnswer = AnswerEvent & TallyAnswer;

/** One broadcast's state, read once per tick for every stream of it on this instance. */
interface StateFeed {
  id: Types.ObjectId;
  listeners: Set<(state: ResultsStateDto) => void>;
  timer: NodeJS.Timeout;
  reading: boolean;
  again: boolean;
}

/**
 * GET /api/broadcasts/{id}/stream: Server-Sent Events with the running counts. Written to the raw
 * Node response (Fastify hijacked), because a stream that stays open does not fit Nest's
 * request-reply model: a `snapshot` event on connect and after a recount, `answer` events with
 * the running counts (coalesced: COALESCE_MS), a `state` event (deadline, close, reveal) on
 * connect and when it changes, a heartbeat comment every 15 s, until the client disconnects or
 * the app shuts down.
 *
 * Answers come from LiveAnswersService: this instance's at once, other instances' through its one
 * feed per instance (docs/architecture.md §7); the state from one read per broadcast per
 * STATE_POLL_MS. No stream polls the database on its own.
 */
@Injectable()
export class ResultsStreamService implements OnModuleInit, OnModuleDestroy {
  private readonly open = new Set<() => void>();
  private readonly stateFeeds = new Map<string, StateFeed>();

  constructor(
    private readonly results: ResultsService,
    private readonly live: LiveAnswersService,
    private readonly broadcasts: BroadcastsService,
    private readonly metrics: MetricsService,
  ) {}

  private readonly onControls = (change: ControlsEvent): void => {
    const feed = this.stateFeeds.get(change.broadcastId);
    if (feed) void this.readState(feed);
  };

  onModuleInit(): void {
    this.broadcasts.events.on('controls', this.onControls);
  }

  async stream(
    actor: Actor,
    id: Types.ObjectId,
    request: FastifyRequest & RequestWithRecheck,
    reply: FastifyReply,
  ): Promise<void> {
    // Everything that can fail with a proper error status happens before the stream starts.
    const broadcast = await this.results.questionBroadcast(actor, id);
    const hex = id.toHexString();

    let counts: LiveTally;
    /** The answers in `counts`, by id: one heard of twice (own event, feed, count) counts once. */
    let counted: Set<string>;
    /** While the counts are read: answers heard meanwhile, added once the read is in. */
    let pending: LiveAnswer[] | null = [];
    let closed = false;
    let lastAnswerAt = performance.now();
    /** The raw response once the stream has started; nothing is sent before. */
    let raw: FastifyReply['raw'] | null = null;
    const send = (chunk: string): void => {
      if (closed || !raw) return;
      raw.write(chunk);
      if (raw.writableLength > MAX_BUFFERED_BYTES) close();
    };
    const event = (name: string): void => {
      const data: TallyDto = counts.toDto(STREAM_TEXT_ANSWERS);
      send(`event: ${name}\nid: ${data.answered}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    const add = (answer: LiveAnswer): boolean => {
      if (answer.answerId !== undefined) {
        if (counted.has(answer.answerId)) return false;
        counted.add(answer.answerId);
      }
      counts.add(answer);
      return true;
    };

    let lastAnswerSent = 0;
    let flush: NodeJS.Timeout | null = null;
    const sendAnswers = (): void => {
      flush = null;
      lastAnswerSent = performance.now();
      event('answer');
    };
    const onAnswer = (answer: LiveAnswer): void => {
      lastAnswerAt = performance.now();
      if (pending) return void pending.push(answer);
      // An event without its type's value cannot be counted here: read the counts again.
      if (!hasValueFor(broadcast.question, answer)) return void recount();
      if (!add(answer) || flush) return;
      const wait = COALESCE_MS - (performance.now() - lastAnswerSent);
      if (wait <= 0) sendAnswers();
      else flush = setTimeout(sendAnswers, wait);
    };
    /** Reads the counts; answers heard meanwhile are added after (once each), also on failure. */
    let haveCounts = false;
    const readCounts = async (): Promise<void> => {
      pending ??= [];
      try {
        const fresh = await this.results.tally(broadcast);
        counts = fresh.counts;
        counted = fresh.ids;
        haveCounts = true;
      } finally {
        const heard = pending ?? [];
        pending = null;
        if (haveCounts) {
          for (const answer of heard) if (hasValueFor(broadcast.question, answer)) add(answer);
        }
      }
    };
    let recounting = false;
    let recountAgain = false;
    const recount = async (): Promise<void> => {
      if (closed) return;
      if (recounting) return void (recountAgain = true);
      recounting = true;
      try {
        await readCounts();
        event('snapshot');
      } catch {
        // A database hiccup: the counts so far stand; the feed's next count check tries again.
      } finally {
        recounting = false;
        if (recountAgain) {
          recountAgain = false;
          void recount();
        }
      }
    };

    // Listen first, count second: an answer stored in between is heard, or counted, or both.
    const unsubscribe = await this.live.subscribe(hex, {
      answer: onAnswer,
      gap: () => void recount(),
      count: (answers) => {
        if (pending || answers === counts.count) return;
        if (performance.now() - lastAnswerAt >= RECOUNT_QUIET_MS) void recount();
      },
    });
    let state: ResultsStateDto;
    try {
      await readCounts();
      state = await this.results.state(id);
    } catch (error) {
      unsubscribe();
      throw error;
    }

    reply.hijack();
    raw = reply.raw;
    raw.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // nginx would otherwise buffer the stream.
      'x-accel-buffering': 'no',
      'x-request-id': String(request.id),
    });
    const stateEvent = (): void => send(`event: state\ndata: ${JSON.stringify(state)}\n\n`);
    const stopState = this.watchState(id, (next) => {
      if (JSON.stringify(next) === JSON.stringify(state)) return;
      state = next;
      stateEvent();
    });

    const heartbeat = setInterval(() => send(': heartbeat\n\n'), HEARTBEAT_MS);
    const recheck = request[RECHECK_PROPERTY];
    let rechecking = false;
    const credentialCheck = setInterval(() => {
      if (!recheck || rechecking || closed) return;
      rechecking = true;
      void this.stillAllowed(recheck, id)
        .then((allowed) => {
          if (!allowed) close();
        })
        .finally(() => {
          rechecking = false;
        });
    }, CREDENTIAL_RECHECK_MS);
    const close = (): void => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      clearInterval(credentialCheck);
      if (flush) clearTimeout(flush);
      unsubscribe();
      stopState();
      this.open.delete(close);
      this.metrics.streamClosed();
      reply.raw.end();
    };
    this.open.add(close);
    this.metrics.streamOpened();
    request.raw.on('close', close);
    reply.raw.on('close', close);
    reply.raw.on('error', close);
    // Tell EventSource clients how soon to reconnect after a drop.
    send('retry: 3000\n\n');
    event('snapshot');
    stateEvent();
  }

  /** Follows a broadcast's state: one read per STATE_POLL_MS for all its streams here. */
  private watchState(id: Types.ObjectId, listener: (state: ResultsStateDto) => void): () => void {
    const hex = id.toHexString();
    let feed = this.stateFeeds.get(hex);
    if (!feed) {
      const created: StateFeed = {
        id,
        listeners: new Set(),
        timer: setInterval(() => void this.readState(created), STATE_POLL_MS),
        reading: false,
        again: false,
      };
      this.stateFeeds.set(hex, created);
      feed = created;
    }
    feed.listeners.add(listener);
    const mine = feed;
    return () => {
      mine.listeners.delete(listener);
      if (mine.listeners.size > 0) return;
      clearInterval(mine.timer);
      if (this.stateFeeds.get(hex) === mine) this.stateFeeds.delete(hex);
    };
  }

  private async readState(feed: StateFeed): Promise<void> {
    if (feed.reading) return void (feed.again = true);
    feed.reading = true;
    try {
      const state = await this.results.state(feed.id);
      for (const listener of [...feed.listeners]) listener(state);
    } catch {
      // A database hiccup: the next tick tries again.
    } finally {
      feed.reading = false;
      if (feed.again) {
        feed.again = false;
        void this.readState(feed);
      }
    }
  }

  /**
   * The credential resolved again, then the read check on the broadcast's meeting for the actor as
   * it is now (a role lowered counts too). Only a refusal (401; 404 or 403 once the meeting may no
   * longer be read) ends the stream, not a database or Zoom hiccup.
   */
  private async stillAllowed(recheck: () => Promise<Actor>, id: Types.ObjectId): Promise<boolean> {
    try {
      await this.results.questionBroadcast(await recheck(), id);
      return true;
    } catch (error) {
      return !(
        error instanceof UnauthorizedException ||
        error instanceof NotFoundException ||
        error instanceof ForbiddenException
      );
    }
  }

  /** Open streams would keep the HTTP server from closing: end them first. */
  onModuleDestroy(): void {
    this.broadcasts.events.off('controls', this.onControls);
    for (const close of [...this.open]) close();
  }
}
