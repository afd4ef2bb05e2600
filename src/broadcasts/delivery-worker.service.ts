import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { AppConfig } from '../config/app-config';
import { DatabaseAvailability } from '../database/database-availability.service';
import { isDatabaseUnavailable } from '../database/database-unavailable';
import { GroupCommit } from '../database/group-commit';
import { KeyedBatcher } from '../database/keyed-batcher';
import { MetricsService } from '../metrics/metrics.service';
import {
  ZoomApiError,
  ZoomConfigError,
  ZoomDailyLimitError,
  ZoomOutcomeUnknownError,
} from '../zoom/zoom-api.error';
import { ZoomChatService, type ZoomChatTarget } from '../zoom/zoom-chat.service';
import { answerToken, answerUrl, runUrl } from './answer-link';
import {
  type ClaimedDelivery,
  DeliveriesRepository,
  type OutcomeWrites,
} from './deliveries.repository';
import { composeLinkMessage, composeQuestionMessage, composeRunMessage } from './message-composer';
import type { SentBroadcast } from './broadcast.types';
import { Broadcast } from './schemas/broadcast.schema';
import { SentBroadcasts } from './sent-broadcasts.service';

const SHUTDOWN_WAIT_MS = 10_000;
/**
 * Outcomes are written together (docs/architecture.md §5): at most one bulk write per this many
 * milliseconds while sends keep finishing; the first outcome after a quiet spell goes at once.
 */
const OUTCOME_INTERVAL_MS = 100;
/** Operations per outcome bulk write and records per posting mark. */
const MAX_BATCH = 500;

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
 * delivery records in batches with a lease (DeliveriesRepository.claimBatch), so a message is sent
 * once; a crashed instance's leases expire and are claimed again. A claimed batch waits in memory
 * for a free lane, its leases renewed together; the posting marks of lanes that are ready
 * together are one write, and so are the outcomes of a short window (docs/architecture.md §5). Zoom calls go through the zoom
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
  /** Claimed and not yet taken by a lane, oldest first. */
  private queue: ClaimedDelivery[] = [];
  /** Every claim this sender holds (queued or in a lane), by id: renewed together, never twice. */
  private readonly held = new Map<string, ClaimedDelivery>();
  /** The claim in flight, shared by every lane waiting for work. */
  private claiming: Promise<void> | null = null;
  /** The latest claim's lease end: each claim's is unique in this process (claimBatch). */
  private lastLeaseUntil = 0;
  private readonly postings: KeyedBatcher<string, true>;
  private readonly outcomes: GroupCommit<OutcomeWrites>;
  private poller?: NodeJS.Timeout;
  private heartbeat?: NodeJS.Timeout;
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
    this.postings = new KeyedBatcher(async (keys) => {
      const ids = keys.map((key) => new Types.ObjectId(key));
      const marked = await this.deliveries.markPosting(ids, this.owner, new Date());
      return new Map(marked.map((id) => [id.toHexString(), true as const]));
    }, MAX_BATCH);
    this.outcomes = new GroupCommit(
      async (batch) => {
        await this.deliveries.recordOutcomes(batch.flat());
        return batch.map(() => null);
      },
      MAX_BATCH,
      OUTCOME_INTERVAL_MS,
    );
  }

  onApplicationBootstrap(): void {
    // Polling finds work this instance did not create: restarts after a crash, other instances'
    // expired leases, and retries whose backoff has passed.
    this.poller = setInterval(() => {
      this.polls++;
      this.kick();
    }, this.config.delivery.pollIntervalMs);
    this.poller.unref();
    const leaseMs = this.config.delivery.leaseSeconds * 1000;
    this.heartbeat = setInterval(() => this.renewLeases(leaseMs), leaseMs / 3);
    this.heartbeat.unref();
    this.kick();
  }

  /** First shutdown phase: claim nothing more from here on. */
  onModuleDestroy(): void {
    this.stopping = true;
    clearInterval(this.poller);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.onModuleDestroy();
    await this.releaseQueued();
    if (this.lanes === 0) {
      clearInterval(this.heartbeat);
      return;
    }
    // Let in-flight sends finish so their outcome is recorded; past the wait, their leases simply
    // expire and another instance (or the next start) finishes them.
    await Promise.race([
      this.idlePromise(),
      new Promise((r) => setTimeout(r, SHUTDOWN_WAIT_MS).unref()),
    ]);
    clearInterval(this.heartbeat);
  }

  /** Claims no lane has started are given back, so another instance takes them at once. */
  private async releaseQueued(): Promise<void> {
    const queued = this.queue;
    this.queue = [];
    for (const d of queued) this.held.delete(d._id.toHexString());
    if (!this.database.available) return; // their leases run out instead
    await this.deliveries
      .releaseClaims(
        queued.map((d) => d._id),
        this.owner,
      )
      .catch((error: Error) =>
        this.logger.warn(
          `Could not give back ${queued.length} claimed deliveries: ${error.message}`,
        ),
      );
  }

  /** One write keeps every claim this sender holds alive (the heartbeat). */
  private renewLeases(leaseMs: number): void {
    if (this.held.size === 0 || !this.database.available) return;
    const ids = [...this.held.values()].map((d) => d._id);
    this.deliveries.renewLeases(ids, this.owner, leaseMs).catch((error: Error) => {
      if (!this.database.available) return; // the outage is logged once, elsewhere
      this.logger.warn(`Lease renewal failed for ${ids.length} deliveries: ${error.message}`);
    });
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
    try {
      while (!this.stopping && this.database.available) {
        const delivery = await this.next();
        if (!delivery) return;
        this.kick();
        await this.deliver(delivery);
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

  /**
   * The next claimed delivery for a lane, claiming a batch when none is waiting; null when there
   * is no work. Claims ahead while half a batch is left, so lanes rarely wait for a claim.
   */
  private async next(): Promise<ClaimedDelivery | null> {
    if (this.queue.length === 0) await this.claim();
    const delivery = this.queue.shift() ?? null;
    if (delivery && !this.stopping && this.queue.length < this.config.delivery.concurrency / 2) {
      this.claim().catch((error: Error) => {
        if (!isDatabaseUnavailable(error)) {
          this.logger.warn(`Claiming ahead failed: ${error.message}`);
        }
      });
    }
    return delivery;
  }

  /** One claim at a time per process; lanes that need work meanwhile wait for that one. */
  private claim(): Promise<void> {
    this.claiming ??= this.claimBatch().finally(() => (this.claiming = null));
    return this.claiming;
  }

  private async claimBatch(): Promise<void> {
    const claim = ++this.claims;
    // Unique per claim in this process: claimBatch names its own records by owner and lease end.
    const leaseUntil = Math.max(
      Date.now() + this.config.delivery.leaseSeconds * 1000,
      this.lastLeaseUntil + 1,
    );
    this.lastLeaseUntil = leaseUntil;
    const claimed = await this.deliveries.claimBatch(
      this.owner,
      new Date(leaseUntil),
      this.config.delivery.concurrency,
    );
    if (claimed.length === 0) this.lastEmptyClaim = Math.max(this.lastEmptyClaim, claim);
    if (this.stopping) {
      // Shutdown began while this claim was in flight: give the records back at once.
      await this.deliveries.releaseClaims(
        claimed.filter((d) => !this.held.has(d._id.toHexString())).map((d) => d._id),
        this.owner,
      );
      return;
    }
    for (const delivery of claimed) {
      const key = delivery._id.toHexString();
      // Already ours (its lease ran out while this sender held it, e.g. the database was away):
      // the copy held goes on; a second one would post it twice.
      if (this.held.has(key)) continue;
      this.held.set(key, delivery);
      this.queue.push(delivery);
    }
  }

  private async deliver(delivery: ClaimedDelivery): Promise<void> {
    let broadcast: SentBroadcast | null;
    try {
      broadcast = await this.sentBroadcasts.get(delivery.broadcast_id);
      const outcome = broadcast ? await this.attempt(broadcast, delivery) : null;
      const { writes, retryAfterMs } =
        broadcast && outcome
          ? this.record(broadcast, delivery, outcome)
          : {
              writes: this.deliveries.failedWrites(
                delivery._id,
                this.owner,
                'Broadcast no longer exists',
              ),
              retryAfterMs: null,
            };
      // The outcome is known only here, in memory, until written: keep trying until it is.
      if (writes.length > 0) await this.persist(() => this.outcomes.submit(writes));
      if (outcome) this.metrics.delivery(outcome.kind);
      if (retryAfterMs !== null) setTimeout(() => this.kick(), retryAfterMs + 10).unref();
    } finally {
      this.held.delete(delivery._id.toHexString());
    }
    if (broadcast) await this.afterDelivery(broadcast);
  }

  /**
   * The Zoom side of one claim. A delivery in doubt (posted_at: an earlier post went out and its
   * outcome was never recorded) is first looked up in Zoom's list of sent messages, and posted
   * again only when it is not there (docs/zoom.md §7): Team Chat has no idempotency key.
   */
  private async attempt(broadcast: SentBroadcast, delivery: ClaimedDelivery): Promise<Outcome> {
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
    // Lanes ready together (released by one outcome write) mark their posts in one write.
    if (!(await this.postings.get(delivery._id.toHexString()))) {
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

  /**
   * The writes that record an outcome, and when to look for a retry's turn; the conditions in the
   * repository make a late or repeated write harmless.
   */
  private record(
    broadcast: SentBroadcast,
    delivery: ClaimedDelivery,
    outcome: Outcome,
  ): { writes: OutcomeWrites; retryAfterMs: number | null } {
    const id = delivery._id;
    const reminder = delivery.sent_at !== null;
    const done = (writes: OutcomeWrites) => ({ writes, retryAfterMs: null });
    switch (outcome.kind) {
      case 'lease-lost':
        return done([]);
      case 'sent':
        return done(
          this.deliveries.sentWrites(
            id,
            this.owner,
            outcome.messageId,
            broadcast.question?.time_limit ?? null,
          ),
        );
      case 'failed':
        return done(
          reminder
            ? this.deliveries.reminderFailedWrites(id, this.owner, outcome.reason)
            : this.deliveries.failedWrites(id, this.owner, outcome.reason),
        );
      case 'unconfirmed':
        return done(
          reminder
            ? this.deliveries.reminderFailedWrites(id, this.owner, outcome.reason)
            : this.deliveries.unconfirmedWrites(id, this.owner, outcome.reason),
        );
      case 'retry': {
        // The Zoom client already retried within this attempt; wait longer before the next one.
        // A post in doubt waits at least one more HTTP timeout, so that one Zoom applies late is
        // in its list by the time we look.
        const backoffMs = Math.max(
          Math.min(60_000, 2000 * 2 ** (delivery.attempts - 1)) * (0.5 + Math.random() / 2),
          outcome.inDoubt ? this.config.zoom.timeoutMs : 0,
        );
        return {
          writes: this.deliveries.retryWrites(
            id,
            this.owner,
            outcome.reason,
            new Date(Date.now() + backoffMs),
            outcome.inDoubt,
          ),
          retryAfterMs: backoffMs,
        };
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
   * per delivery, for a question's and a run's message alike; the token, not the whole link, so a
   * BASE_URL that differs between instances or changed since does not hide it), or for a link
   * broadcast its link (the list is per recipient
   * already). Never the whole text: the instructor's words around the link may be shortened to
   * fit (message-composer.ts, a rule that may change between versions) or reworded by Zoom, while
   * the link is kept whole.
   */
  private markerOf(broadcast: SentBroadcast, delivery: ClaimedDelivery, text: string): string {
    return broadcast.kind === 'link'
      ? broadcast.question_link || text
      : answerToken(this.config.answers.tokenSecret, delivery._id);
  }

  private linkFor(delivery: ClaimedDelivery): string {
    return answerUrl(
      this.config.baseUrl,
      answerToken(this.config.answers.tokenSecret, delivery._id),
    );
  }

  private messageFor(broadcast: SentBroadcast, delivery: ClaimedDelivery): string {
    if (broadcast.kind === 'link')
      return composeLinkMessage(broadcast.message, broadcast.question_link ?? '');
    if (broadcast.kind === 'run') {
      // One message for the whole run (issue 16): the token is the delivery's answer token, as
      // for a question, so markerOf finds it in Zoom's list the same way.
      const token = answerToken(this.config.answers.tokenSecret, delivery._id);
      return composeRunMessage(
        broadcast.message ?? 'Quiz',
        broadcast.run_question_count ?? 0,
        runUrl(this.config.baseUrl, token),
      );
    }
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
    // A delivery of it this sender still holds: not finished, no need to ask the database.
    for (const held of this.held.values()) if (held.broadcast_id.equals(broadcast._id)) return;
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
