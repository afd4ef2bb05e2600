import { Logger } from '@nestjs/common';
import { Types } from 'mongoose';
import type { AnswerFeed, AnswerFeedSink, LiveAnswerDocument } from './answer-feed';
import { toLiveAnswer } from './answer-feed';
import { RecentIds } from './recent-ids';

/** How often the instance's one poll runs while any broadcast is followed: the 1 s bound's main term. */
export const POLL_MS = 250;
/**
 * How far behind its last run each poll looks. An answer's `_id` is made (with whole seconds, on
 * the storing instance's clock) before its insert, so it can become visible after an answer with
 * a later `_id`: the poll re-reads this much and skips the ids it already delivered.
 */
export const POLL_LOOKBACK_MS = 3_000;
/**
 * How often the answers per followed broadcast are counted: a stream that counts fewer (an
 * insert slower than the lookback, a clock far off) or more (answers deleted) reads them again.
 */
export const COUNT_CHECK_MS = 5_000;

/** What the poll reads: the answers repository's two queries. */
export interface PollSource {
  newerThan(broadcastIds: Types.ObjectId[], sinceId: Types.ObjectId): Promise<LiveAnswerDocument[]>;
  countsFor(broadcastIds: Types.ObjectId[]): Promise<Map<string, number>>;
}

/**
 * The feed on a server without change streams: one indexed query per tick for every followed
 * broadcast at once (`broadcast_id $in`, `_id` above the lookback), however many streams are open.
 */
export class PollingAnswerFeed implements AnswerFeed {
  readonly description: string;
  private readonly logger = new Logger('LiveAnswers');
  private ids: Types.ObjectId[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly delivered = new RecentIds(2 * POLL_LOOKBACK_MS);
  private lastCountCheck = performance.now();
  private failing = false;

  constructor(
    private readonly source: PollSource,
    private readonly sink: AnswerFeedSink,
    why = 'not a replica set',
    private readonly now: () => number = () => Date.now(),
  ) {
    this.description = `polling every ${POLL_MS} ms (${why})`;
  }

  follow(broadcastIds: string[]): Promise<void> {
    this.ids = broadcastIds.map((id) => new Types.ObjectId(id));
    if (this.ids.length > 0 && !this.timer) this.schedule();
    // The lookback covers the answers stored while a stream reads its counts.
    return Promise.resolve();
  }

  stop(): Promise<void> {
    this.ids = [];
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    return Promise.resolve();
  }

  private schedule(): void {
    this.timer = setTimeout(() => void this.tick(), POLL_MS);
  }

  /** One poll; the next is scheduled when it ends, so polls never overlap. */
  async tick(): Promise<void> {
    const ids = this.ids;
    if (ids.length === 0) {
      this.timer = null;
      return;
    }
    const since = Types.ObjectId.createFromTime(Math.floor((this.now() - POLL_LOOKBACK_MS) / 1000));
    try {
      const found = await this.source.newerThan(ids, since);
      const fresh = found.filter((doc) => this.delivered.add(doc._id.toHexString()));
      if (fresh.length > 0) this.sink.answers(fresh.map(toLiveAnswer));
      if (this.sink.counts && performance.now() - this.lastCountCheck >= COUNT_CHECK_MS) {
        this.lastCountCheck = performance.now();
        this.sink.counts(await this.source.countsFor(ids));
      }
      this.failing = false;
    } catch (error) {
      // A database hiccup: the next tick looks back far enough to catch up (or counts do).
      if (!this.failing) this.logger.warn(`live answers poll failed: ${(error as Error).message}`);
      this.failing = true;
    } finally {
      if (this.timer !== null || this.ids.length > 0) this.schedule();
    }
  }
}
