import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { AnswerEvent } from '../answer.types';
import { AnswersRepository } from '../answers.repository';
import { AnswersService } from '../answers.service';
import type { AnswerFeed, AnswerFeedSink, LiveAnswer } from './answer-feed';
import { ChangeStreamAnswerFeed, type WatchAnswers } from './change-stream-answer-feed';
import { PollingAnswerFeed } from './polling-answer-feed';

/** The index the poll needs (answer.schema.ts); without it every poll would scan. */
const POLL_INDEX = ['broadcast_id', '_id'];

/** What a live stream hears about one broadcast. */
export interface LiveAnswerListener {
  /** A stored answer, from this instance at once or from another through the feed. */
  answer(answer: AnswerEvent & { answerId?: string }): void;
  /** Answers may have been missed: read the counts again. */
  gap(): void;
  /** How many answers the broadcast has (polling only, now and then). */
  count?(answers: number): void;
}

/**
 * The live answers of the broadcasts that have a stream open on this instance
 * (docs/architecture.md §7): this instance's own answers at once (AnswersService.events), other
 * instances' through one feed per instance, shared by every stream, that follows exactly the
 * broadcasts with a listener (from the first stream of a broadcast to its last). The feed is a
 * change stream on a replica set, an indexed poll otherwise, chosen once at startup.
 *
 * An answer can arrive twice (its own instance's event and the feed, or the feed and a stream's
 * first count): each carries its answerId, and the stream counts an id once.
 */
@Injectable()
export class LiveAnswersService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('LiveAnswers');
  private readonly listeners = new Map<string, Set<LiveAnswerListener>>();
  /** Per followed broadcast: resolves once the feed follows it. */
  private readonly following = new Map<string, Promise<void>>();
  private feed: Promise<AnswerFeed> | null = null;

  constructor(
    private readonly answers: AnswersService,
    private readonly repository: AnswersRepository,
  ) {}

  private readonly onLocal = (answer: AnswerEvent & { answerId?: string }): void =>
    this.deliver(answer);

  onApplicationBootstrap(): void {
    this.answers.events.on('answer', this.onLocal);
    // Not awaited: the app starts while the database is away; the first stream waits for it.
    this.feed = this.chooseFeed();
  }

  async onApplicationShutdown(): Promise<void> {
    this.answers.events.off('answer', this.onLocal);
    this.listeners.clear();
    if (this.feed) await (await this.feed).stop();
  }

  /**
   * Listens to one broadcast's answers; resolves (with the way to stop) once every answer
   * stored from then on will reach the listener, so a stream reads its counts after that.
   */
  async subscribe(broadcastId: string, listener: LiveAnswerListener): Promise<() => void> {
    let set = this.listeners.get(broadcastId);
    if (!set) {
      set = new Set();
      this.listeners.set(broadcastId, set);
      this.following.set(broadcastId, this.follow());
    }
    set.add(listener);
    const mine = set;
    const unsubscribe = (): void => {
      mine.delete(listener);
      if (mine.size > 0 || this.listeners.get(broadcastId) !== mine) return;
      this.listeners.delete(broadcastId);
      this.following.delete(broadcastId);
      void this.follow();
    };
    try {
      await this.following.get(broadcastId);
    } catch (error) {
      unsubscribe();
      throw error;
    }
    return unsubscribe;
  }

  /** How many broadcasts the feed follows (tests). */
  get followed(): number {
    return this.listeners.size;
  }

  private async follow(): Promise<void> {
    const feed = await this.feedOrChoose();
    await feed.follow([...this.listeners.keys()]);
  }

  private feedOrChoose(): Promise<AnswerFeed> {
    this.feed ??= this.chooseFeed();
    return this.feed;
  }

  private deliver(answer: AnswerEvent & { answerId?: string }): void {
    const set = this.listeners.get(answer.broadcastId);
    if (set) for (const listener of [...set]) listener.answer(answer);
  }

  private readonly sink: AnswerFeedSink = {
    answers: (answers: LiveAnswer[]) => answers.forEach((answer) => this.deliver(answer)),
    gap: (broadcastIds: string[]) => {
      for (const id of broadcastIds) this.listeners.get(id)?.forEach((l) => l.gap());
    },
    counts: (counts: Map<string, number>) => {
      for (const [id, set] of this.listeners) {
        const answers = counts.get(id) ?? 0;
        set.forEach((l) => l.count?.(answers));
      }
    },
  };

  /** Change streams on a replica set (the `hello` command names one), else the poll. */
  private async chooseFeed(): Promise<AnswerFeed> {
    let setName: string | null = null;
    let why = 'not a replica set';
    try {
      setName = await this.repository.replicaSetName();
    } catch (error) {
      why = `the database did not answer hello: ${(error as Error).message}`;
    }
    let feed: AnswerFeed;
    if (setName) {
      const watch: WatchAnswers = (pipeline, options) => this.repository.watch(pipeline, options);
      feed = new ChangeStreamAnswerFeed(watch, this.sink, setName);
    } else {
      feed = new PollingAnswerFeed(this.repository, this.sink, why);
      void this.checkPollIndex();
    }
    this.logger.log(`live updates: ${feed.description}`);
    return feed;
  }

  private async checkPollIndex(): Promise<void> {
    try {
      if (await this.repository.hasIndex(POLL_INDEX)) return;
      this.logger.warn(
        `live updates: the answers index { broadcast_id: 1, _id: 1 } is missing: every poll scans the broadcast's answers`,
      );
    } catch {
      // The database is away; the index is built with the others when it is back (autoIndex).
    }
  }
}
