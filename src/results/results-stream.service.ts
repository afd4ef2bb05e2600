import {
  ForbiddenException,
  Injectable,
  NotFoundException,
  OnModuleDestroy,
  UnauthorizedException,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Types } from 'mongoose';
import type { Actor } from '../common/auth/actor';
import { AnswerEvent, AnswersService } from '../answers/answers.service';
import { BroadcastsService, type ControlsEvent } from '../broadcasts/broadcasts.service';
import { RECHECK_PROPERTY, type RequestWithRecheck } from '../common/auth/session-authenticator';
import { MetricsService } from '../metrics/metrics.service';
import type { TallyDto } from './dto/results.response';
import { ResultsService } from './results.service';
import { hasValueFor, STREAM_TEXT_ANSWERS, type TallyAnswer } from './type-tally';

/** A comment line every 15 s keeps proxies and load balancers from closing an idle stream. */
export const HEARTBEAT_MS = 15_000;
/**
 * Answers stored by other instances never reach this one's event emitter; a cheap indexed count
 * every few seconds notices them and re-sends a full snapshot.
 */
export const RESYNC_MS = 3_000;
/**
 * Answers are sent to a stream at most this often: a burst of 1,000 answers in a second becomes
 * about ten `answer` events carrying the running counts, not 1,000 (the first answer after a quiet
 * spell goes out at once; the last of a burst at most this long after it arrives).
 */
export const COALESCE_MS = 100;
/**
 * How often an open stream checks that its credential still holds (RECHECK_PROPERTY) and that the
 * actor may still read the broadcast's meeting: a sign-out, a revoked key, a disabled account or a
 * withdrawn grant ends it within this plus the credential caches (under 5 s).
 */
export const CREDENTIAL_RECHECK_MS = 1_000;
/** A client that stops reading is dropped rather than buffered for without limit. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

/**
 * GET /api/broadcasts/{id}/stream: Server-Sent Events with the running counts. Written to the raw
 * Node response (Fastify hijacked), because a stream that stays open does not fit Nest's
 * request-reply model: a `snapshot` event on connect and after a resync, `answer` events with the
 * running counts (coalesced: COALESCE_MS), a `state` event (deadline, close, reveal) on connect
 * and when it changes, a heartbeat comment every 15 s, until the client disconnects or the app
 * shuts down.
 */
@Injectable()
export class ResultsStreamService implements OnModuleDestroy {
  private readonly open = new Set<() => void>();

  constructor(
    private readonly results: ResultsService,
    private readonly answers: AnswersService,
    private readonly broadcasts: BroadcastsService,
    private readonly metrics: MetricsService,
  ) {}

  async stream(
    actor: Actor,
    id: Types.ObjectId,
    request: FastifyRequest & RequestWithRecheck,
    reply: FastifyReply,
  ): Promise<void> {
    // Everything that can fail with a proper error status happens before the stream starts.
    const broadcast = await this.results.questionBroadcast(actor, id);
    let counts = await this.results.tally(broadcast);
    let state = await this.results.state(id);
    const hex = id.toHexString();

    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // nginx would otherwise buffer the stream.
      'x-accel-buffering': 'no',
      'x-request-id': String(request.id),
    });
    let closed = false;
    const send = (chunk: string): void => {
      if (closed) return;
      raw.write(chunk);
      if (raw.writableLength > MAX_BUFFERED_BYTES) close();
    };
    const event = (name: string): void => {
      const data: TallyDto = counts.toDto(STREAM_TEXT_ANSWERS);
      send(`event: ${name}\nid: ${data.answered}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    const stateEvent = (): void => send(`event: state\ndata: ${JSON.stringify(state)}\n\n`);

    let lastAnswerSent = 0;
    let flush: NodeJS.Timeout | null = null;
    const sendAnswers = (): void => {
      flush = null;
      lastAnswerSent = performance.now();
      event('answer');
    };
    const onAnswer = (answer: AnswerEvent & TallyAnswer): void => {
      if (answer.broadcastId !== hex) return;
      // An event without its type's value cannot be counted here: read the counts again.
      if (!hasValueFor(broadcast.question, answer)) return void resync(true);
      counts.add(answer);
      if (flush) return;
      const wait = COALESCE_MS - (performance.now() - lastAnswerSent);
      if (wait <= 0) sendAnswers();
      else flush = setTimeout(sendAnswers, wait);
    };
    const onControls = (change: ControlsEvent): void => {
      if (change.broadcastId !== hex) return;
      void refreshState();
    };
    const refreshState = async (): Promise<void> => {
      try {
        const next = await this.results.state(id);
        if (JSON.stringify(next) === JSON.stringify(state)) return;
        state = next;
        stateEvent();
      } catch {
        // A database hiccup: the next poll tries again.
      }
    };
    let resyncing = false;
    const resync = async (force = false): Promise<void> => {
      if (resyncing || closed) return;
      resyncing = true;
      try {
        if (force || (await this.results.answerCount(id)) !== counts.count) {
          counts = await this.results.tally(broadcast);
          event('snapshot');
        }
        // A close or reveal on another instance, or the last messages going out (the deadline).
        await refreshState();
      } catch {
        // A database hiccup: the next tick tries again; the stream itself stays up.
      } finally {
        resyncing = false;
      }
    };
    const heartbeat = setInterval(() => send(': heartbeat\n\n'), HEARTBEAT_MS);
    const poller = setInterval(() => void resync(), RESYNC_MS);
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
      clearInterval(poller);
      clearInterval(credentialCheck);
      if (flush) clearTimeout(flush);
      this.answers.events.off('answer', onAnswer);
      this.broadcasts.events.off('controls', onControls);
      this.open.delete(close);
      this.metrics.streamClosed();
      raw.end();
    };
    this.open.add(close);
    this.metrics.streamOpened();
    this.answers.events.on('answer', onAnswer);
    this.broadcasts.events.on('controls', onControls);
    request.raw.on('close', close);
    raw.on('close', close);
    raw.on('error', close);
    // Tell EventSource clients how soon to reconnect after a drop.
    send('retry: 3000\n\n');
    event('snapshot');
    stateEvent();
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
    for (const close of [...this.open]) close();
  }
}
