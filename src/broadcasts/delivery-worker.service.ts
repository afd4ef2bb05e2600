import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { AppConfig } from '../config/app-config';
import { DatabaseAvailability } from '../database/database-availability.service';
import { isDatabaseUnavailable } from '../database/database-unavailable';
import { MetricsService } from '../metrics/metrics.service';
import {
  ZoomApiError,
  ZoomConfigError,
  ZoomDailyLimitError,
  ZoomOutcomeUnknownError,
} from '../zoom/zoom-api.error';
import { ZoomChatService, type ZoomChatTarget } from '../zoom/zoom-chat.service';
import { answerToken, answerUrl } from './answer-link';
import { DeliveriesRepository } from './deliveries.repository';
import { composeLinkMessage, composeQuestionMessage } from './message-composer';
import type { SentBroadcast } from './broadcast.types';
import { Broadcast } from './schemas/broadcast.schema';
import { DeliveryDocument } from './schemas/delivery.schema';
import { SentBroadcasts } from './sent-broadcasts.service';

const SHUTDOWN_WAIT_MS = 10_000;

/** What one claim of a delivery came to, held in memory until the database has it. */
type Outcome =
  | { kind: 'sent'; messageId: string | null }
  | { kind: 'failed'; reason: string }
  | { kind: 'unconfirmed'; reason: string }
  /** `inDoubt`: the post may have landed, so the next claim confirms before posting. */
  | { kind: 'retry'; reason: string; inDoubt: boolean }
  /** Another sender took the delivery over before the post: nothing to record. */
  | { kind: 'lease-lost' };

/**
 * The durable sender. Any number of instances may run it against one database: each claims
 * delivery records atomically with a lease (DeliveriesRepository.claimNext), so a message is sent
 * once; a crashed instance's leases expire and are claimed again. Zoom calls go through the zoom
 * module's client, which holds the account's rate limit and retries what was certainly not
 * applied. A post whose answer never came is confirmed through Zoom's list of sent messages before
 * any resend, and an outcome is kept in memory until the database has it (docs/architecture.md).
 */
@Injectable()
export class DeliveryWorker
  implements OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown
{
  private readonly logger = new Logger(DeliveryWorker.name);
  /** Unique per process, so a lease names its holder even across hosts. */
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  /** 'progress' and 'completed' events, with the broadcast id as a hex string. */
  readonly events = new EventEmitter();
  private lanes = 0;
  private stopping = false;
  private polls = 0;
  private claims = 0;
  private lastEmptyClaim = 0;
  private poller?: NodeJS.Timeout;
  private idle?: { promise: Promise<void>; resolve: () => void };

  constructor(
    private readonly config: AppConfig,
    private readonly deliveries: DeliveriesRepository,
    private readonly chat: ZoomChatService,
    @InjectModel(Broadcast.name) private readonly broadcasts: Model<Broadcast>,
    private readonly database: DatabaseAvailability,
    private readonly sentBroadcasts: SentBroadcasts,
    private readonly metrics: MetricsService,
  ) {
    this.events.setMaxListeners(0);
  }

  onApplicationBootstrap(): void {
    // Polling finds work this instance did not create: restarts after a crash, other instances'
    // expired leases, and retries whose backoff has passed.
    this.poller = setInterval(() => {
      this.polls++;
      this.kick();
    }, this.config.delivery.pollIntervalMs);
    this.poller.unref();
    this.kick();
  }

  /** First shutdown phase: claim nothing more from here on. */
  onModuleDestroy(): void {
    this.stopping = true;
    clearInterval(this.poller);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.onModuleDestroy();
    if (this.lanes === 0) return;
    // Let in-flight sends finish so their outcome is recorded; past the wait, their leases simply
    // expire and another instance (or the next start) finishes them.
    await Promise.race([
      this.idlePromise(),
      new Promise((r) => setTimeout(r, SHUTDOWN_WAIT_MS).unref()),
    ]);
  }

  /**
   * Read-only counters: lanes running now, poller ticks so far, claims started so far, and the
   * number of the latest claim that found nothing to send. They let an observer (the e2e tests)
   * see that the sender has had its chance to act, e.g. "a claim started after X came back empty
   * and no lane is still sending".
   */
  get activity(): { lanes: number; polls: number; claims: number; lastEmptyClaim: number } {
    return {
      lanes: this.lanes,
      polls: this.polls,
      claims: this.claims,
      lastEmptyClaim: this.lastEmptyClaim,
    };
  }

  /** Starts a sending lane if there is room; each lane that finds work starts another. */
  kick(): void {
    // While the database is down nothing is claimed; the poller resumes once it is back.
    if (this.stopping || !this.database.available) return;
    if (this.lanes >= this.config.delivery.concurrency) return;
    this.lanes++;
    void this.lane();
  }

  private async lane(): Promise<void> {
    const leaseMs = this.config.delivery.leaseSeconds * 1000;
    try {
      while (!this.stopping && this.database.available) {
        const claim = ++this.claims;
        const delivery = await this.deliveries.claimNext(this.owner, leaseMs);
        if (!delivery) {
          this.lastEmptyClaim = Math.max(this.lastEmptyClaim, claim);
          return;
        }
        this.kick();
        await this.deliver(delivery, leaseMs);
      }
    } catch (error) {
      // A database hiccup ends this lane only; the poller starts a new one. An outage is logged
      // once, by DatabaseAvailability, not once per lane.
      if (!isDatabaseUnavailable(error)) {
        this.logger.error(`Sender lane stopped: ${(error as Error).message}`);
      }
    } finally {
      this.lanes--;
      if (this.lanes === 0) this.idle?.resolve();
    }
  }

  private async deliver(delivery: DeliveryDocument, leaseMs: number): Promise<void> {
    const broadcast = await this.sentBroadcasts.get(delivery.broadcast_id);
    if (!broadcast) {
      await this.deliveries.markFailed(delivery._id, this.owner, 'Broadcast no longer exists');
      return;
    }
    const heartbeat = setInterval(() => {
      this.deliveries.renewLease(delivery._id, this.owner, leaseMs).catch((error: Error) => {
        if (!this.database.available) return; // the outage is logged once, elsewhere
        this.logger.warn(
          `Lease renewal failed for delivery ${delivery._id.toHexString()}: ${error.message}`,
        );
      });
    }, leaseMs / 3);
    try {
      const outcome = await this.attempt(broadcast, delivery);
      // The outcome is known only here, in memory, until written: keep trying until it is.
      await this.persist(() => this.record(broadcast, delivery, outcome));
      this.metrics.delivery(outcome.kind);
    } finally {
      clearInterval(heartbeat);
    }
    await this.afterDelivery(broadcast);
  }

  /**
   * The Zoom side of one claim. A delivery in doubt (posted_at: an earlier post went out and its
   * outcome was never recorded) is first looked up in Zoom's list of sent messages, and posted
   * again only when it is not there (docs/zoom.md §7): Team Chat has no idempotency key.
   */
  private async attempt(broadcast: SentBroadcast, delivery: DeliveryDocument): Promise<Outcome> {
    let text: string;
    try {
      text = this.messageFor(broadcast, delivery);
    } catch (error) {
      return { kind: 'failed', reason: describe(error) };
    }
    const target: ZoomChatTarget = delivery.to_channel
      ? { toChannel: delivery.to_channel }
      : { toContact: delivery.to_contact ?? '' };
    const maxAttempts = this.config.delivery.maxAttempts;

    if (delivery.posted_at) {
      try {
        const found = await this.chat.findSentMessage(
          target,
          this.markerOf(broadcast, delivery, text),
          {
            since: delivery.posted_at,
            excludeId: delivery.zoom_message_id,
          },
        );
        if (found) return { kind: 'sent', messageId: found.messageId };
      } catch (error) {
        const reason = `Posted, but whether it arrived is unknown: ${describe(error)}`;
        return delivery.attempts >= maxAttempts
          ? { kind: 'unconfirmed', reason }
          : { kind: 'retry', reason, inDoubt: true };
      }
      // Not there: the earlier post did not land.
      if (delivery.attempts > maxAttempts) {
        return { kind: 'failed', reason: delivery.last_error ?? 'Not sent' };
      }
    }

    // Written before the post, so that whoever finds this delivery unfinished (after a crash, or
    // a lease lost while the database was away) confirms instead of posting again.
    if (!(await this.deliveries.markPosting(delivery._id, this.owner, new Date()))) {
      return { kind: 'lease-lost' };
    }
    try {
      const { messageId } = await this.chat.sendMessage(target, text, {
        marker: this.markerOf(broadcast, delivery, text),
        excludeId: delivery.zoom_message_id,
      });
      return { kind: 'sent', messageId };
    } catch (error) {
      const reason = describe(error);
      if (error instanceof ZoomOutcomeUnknownError) {
        // Confirmed on the next claim, even past the last attempt: the post may have landed.
        return { kind: 'retry', reason, inDoubt: true };
      }
      const permanent = error instanceof ZoomApiError && !error.retryable;
      if (permanent || delivery.attempts >= maxAttempts) return { kind: 'failed', reason };
      return { kind: 'retry', reason, inDoubt: false };
    }
  }

  /** Writes an outcome; the conditions in the repository make a late or repeated write harmless. */
  private async record(
    broadcast: SentBroadcast,
    delivery: DeliveryDocument,
    outcome: Outcome,
  ): Promise<void> {
    const id = delivery._id;
    const reminder = delivery.sent_at !== null;
    switch (outcome.kind) {
      case 'lease-lost':
        return;
      case 'sent':
        return this.deliveries.markSent(
          id,
          this.owner,
          outcome.messageId,
          broadcast.question?.time_limit ?? null,
        );
      case 'failed':
        return reminder
          ? this.deliveries.markReminderFailed(id, this.owner, outcome.reason)
          : this.deliveries.markFailed(id, this.owner, outcome.reason);
      case 'unconfirmed':
        return reminder
          ? this.deliveries.markReminderFailed(id, this.owner, outcome.reason)
          : this.deliveries.markUnconfirmed(id, this.owner, outcome.reason);
      case 'retry': {
        // The Zoom client already retried within this attempt; wait longer before the next one.
        // A post in doubt waits at least one more HTTP timeout, so that one Zoom applies late is
        // in its list by the time we look.
        const backoffMs = Math.max(
          Math.min(60_000, 2000 * 2 ** (delivery.attempts - 1)) * (0.5 + Math.random() / 2),
          outcome.inDoubt ? this.config.zoom.timeoutMs : 0,
        );
        await this.deliveries.scheduleRetry(
          id,
          this.owner,
          outcome.reason,
          new Date(Date.now() + backoffMs),
          outcome.inDoubt,
        );
        setTimeout(() => this.kick(), backoffMs + 10).unref();
        return;
      }
    }
  }

  /**
   * Runs a database write until it lands: an outcome Zoom gave us must not be lost, nor taken for
   * a failed send, because the database was away for a moment. Gives up on shutdown, or on an
   * error that is not an outage; the delivery's posted_at then sends its next claimant to
   * confirmation, not to a blind resend.
   */
  private async persist(write: () => Promise<void>): Promise<void> {
    for (let waitMs = 200; ; waitMs = Math.min(waitMs * 2, 5_000)) {
      try {
        await write();
        return;
      } catch (error) {
        const outage = isDatabaseUnavailable(error) || !this.database.available;
        if (!outage || this.stopping) throw error;
        await new Promise((r) => setTimeout(r, waitMs).unref());
      }
    }
  }

  /**
   * What identifies this delivery's message in Zoom's list: its personal answer token (unique
   * per delivery; the token, not the whole link, so a BASE_URL that differs between instances or
   * changed since does not hide it), or for a link broadcast its link (the list is per recipient
   * already). Never the whole text: the instructor's words around the link may be shortened to
   * fit (message-composer.ts, a rule that may change between versions) or reworded by Zoom, while
   * the link is kept whole.
   */
  private markerOf(broadcast: SentBroadcast, delivery: DeliveryDocument, text: string): string {
    return broadcast.kind === 'link'
      ? broadcast.question_link || text
      : answerToken(this.config.answers.tokenSecret, delivery._id);
  }

  private linkFor(delivery: DeliveryDocument): string {
    return answerUrl(
      this.config.baseUrl,
      answerToken(this.config.answers.tokenSecret, delivery._id),
    );
  }

  private messageFor(broadcast: SentBroadcast, delivery: DeliveryDocument): string {
    if (broadcast.kind === 'link')
      return composeLinkMessage(broadcast.message, broadcast.question_link ?? '');
    const link = this.linkFor(delivery);
    if (!broadcast.question) throw new Error('Question broadcast without its question');
    const remainingSeconds =
      delivery.reminders > 0 && delivery.closes_at
        ? Math.max(1, Math.round((delivery.closes_at.getTime() - Date.now()) / 1000))
        : null;
    return composeQuestionMessage(broadcast.question, link, remainingSeconds);
  }

  private async afterDelivery(broadcast: SentBroadcast): Promise<void> {
    const id = broadcast._id.toHexString();
    this.events.emit('progress', id);
    if (await this.deliveries.hasOpenWork(broadcast._id)) return;
    await this.broadcasts
      .updateOne({ _id: broadcast._id, completed_at: null }, { $set: { completed_at: new Date() } })
      .exec();
    this.events.emit('completed', id);
  }

  private idlePromise(): Promise<void> {
    if (!this.idle) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.idle = { promise, resolve };
    }
    return this.idle.promise;
  }
}

function describe(error: unknown): string {
  if (error instanceof ZoomDailyLimitError) {
    // Failed at once, not retried into the limit: a retry of the broadcast after the reset works.
    return `zoom_daily_limit until ${error.resetsAt.toISOString()}: ${error.message}; retry the failed recipients after then`;
  }
  if (error instanceof ZoomApiError) {
    const code = error.code === null ? '' : ` code ${error.code}`;
    // A refusal only an admin can fix (channel membership, the sender's role) says what to change.
    const fix = error instanceof ZoomConfigError ? `. To fix: ${error.hint}` : '';
    return `Zoom ${error.status}${code}: ${error.zoomMessage}${fix}`.slice(0, 700);
  }
  return (error instanceof Error ? error.message : String(error)).slice(0, 500);
}
