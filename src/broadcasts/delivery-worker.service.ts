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
import { ZoomApiError } from '../zoom/zoom-api.error';
import { ZoomChatService } from '../zoom/zoom-chat.service';
import { answerToken, answerUrl } from './answer-link';
import { DeliveriesRepository } from './deliveries.repository';
import { composeLinkMessage, composeQuestionMessage } from './message-composer';
import type { SentBroadcast } from './broadcast.types';
import { Broadcast } from './schemas/broadcast.schema';
import { DeliveryDocument } from './schemas/delivery.schema';
import { SentBroadcasts } from './sent-broadcasts.service';

const SHUTDOWN_WAIT_MS = 10_000;

/**
 * The durable sender. Any number of instances may run it against one database: each claims
 * delivery records atomically with a lease (DeliveriesRepository.claimNext), so a message is sent
 * once; a crashed instance's leases expire and are claimed again. Zoom calls go through the zoom
 * module's client, which holds the account's rate limit and retries 429/5xx/timeouts.
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
  private poller?: NodeJS.Timeout;
  private idle?: { promise: Promise<void>; resolve: () => void };

  constructor(
    private readonly config: AppConfig,
    private readonly deliveries: DeliveriesRepository,
    private readonly chat: ZoomChatService,
    @InjectModel(Broadcast.name) private readonly broadcasts: Model<Broadcast>,
    private readonly database: DatabaseAvailability,
    private readonly sentBroadcasts: SentBroadcasts,
  ) {
    this.events.setMaxListeners(0);
  }

  onApplicationBootstrap(): void {
    // Polling finds work this instance did not create: restarts after a crash, other instances'
    // expired leases, and retries whose backoff has passed.
    this.poller = setInterval(() => this.kick(), this.config.delivery.pollIntervalMs);
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

  /** Starts a sending lane if there is room; each lane that finds work starts another. */
  kick(): void {
    // While the database is down there is nothing to claim; the poller resumes once it is back.
    if (this.stopping || !this.database.available) return;
    if (this.lanes >= this.config.delivery.concurrency) return;
    this.lanes++;
    void this.lane();
  }

  private async lane(): Promise<void> {
    const leaseMs = this.config.delivery.leaseSeconds * 1000;
    try {
      while (!this.stopping) {
        const delivery = await this.deliveries.claimNext(this.owner, leaseMs);
        if (!delivery) return;
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
        this.logger.warn(
          `Lease renewal failed for delivery ${delivery._id.toHexString()}: ${error.message}`,
        );
      });
    }, leaseMs / 3);
    try {
      const text = this.messageFor(broadcast, delivery);
      const target = delivery.to_channel
        ? { toChannel: delivery.to_channel }
        : { toContact: delivery.to_contact ?? '' };
      const { messageId } = await this.chat.sendMessage(target, text);
      await this.deliveries.markSent(
        delivery._id,
        this.owner,
        messageId,
        broadcast.question?.time_limit ?? null,
      );
    } catch (error) {
      await this.recordFailure(delivery, error);
    } finally {
      clearInterval(heartbeat);
    }
    await this.afterDelivery(broadcast);
  }

  private async recordFailure(delivery: DeliveryDocument, error: unknown): Promise<void> {
    const reason = describe(error);
    const permanent = error instanceof ZoomApiError && !error.retryable;
    if (permanent || delivery.attempts >= this.config.delivery.maxAttempts) {
      if (delivery.sent_at)
        await this.deliveries.markReminderFailed(delivery._id, this.owner, reason);
      else await this.deliveries.markFailed(delivery._id, this.owner, reason);
      return;
    }
    // The Zoom client already retried within this attempt; wait longer before the next one.
    const backoffMs =
      Math.min(60_000, 2000 * 2 ** (delivery.attempts - 1)) * (0.5 + Math.random() / 2);
    await this.deliveries.scheduleRetry(
      delivery._id,
      this.owner,
      reason,
      new Date(Date.now() + backoffMs),
    );
    setTimeout(() => this.kick(), backoffMs + 10).unref();
  }

  private messageFor(broadcast: SentBroadcast, delivery: DeliveryDocument): string {
    if (broadcast.kind === 'link')
      return composeLinkMessage(broadcast.message, broadcast.question_link ?? '');
    const link = answerUrl(
      this.config.baseUrl,
      answerToken(this.config.answers.tokenSecret, delivery._id),
    );
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
  if (error instanceof ZoomApiError) {
    const code = error.code === null ? '' : ` code ${error.code}`;
    return `Zoom ${error.status}${code}: ${error.zoomMessage}`.slice(0, 500);
  }
  return (error instanceof Error ? error.message : String(error)).slice(0, 500);
}
