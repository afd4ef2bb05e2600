import { Logger } from '@nestjs/common';
import { Types } from 'mongoose';
import {
  LIVE_ANSWER_FIELDS,
  toLiveAnswer,
  type AnswerFeed,
  type AnswerFeedSink,
  type LiveAnswerDocument,
} from './answer-feed';

/** After a change stream fails for good (the driver resumes transient errors itself), reopen after this. */
export const CHANGE_STREAM_RETRY_MS = 1_000;
/** A stream waits at most this long for a new change stream to start before it reads its counts. */
const OPEN_WAIT_MS = 2_000;
/** MongoDB's ChangeStreamHistoryLost: the resume token fell off the oplog. */
const HISTORY_LOST = 286;

/** One change event as the pipeline below leaves it. */
export interface AnswerChange {
  _id: unknown;
  fullDocument?: LiveAnswerDocument;
}

/** What the feed uses of the driver's ChangeStream (a fake in the unit test). */
export interface AnswerChangeStream {
  on(event: 'change', listener: (change: AnswerChange) => void): unknown;
  on(event: 'resumeTokenChanged', listener: (token: unknown) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  close(): Promise<void>;
}

export type WatchAnswers = (
  pipeline: Record<string, unknown>[],
  options: { resumeAfter?: unknown },
) => AnswerChangeStream;

/**
 * The feed on a replica set: one change stream on `answers` per instance, inserts into the
 * followed broadcasts only, value fields only. A new set of broadcasts reopens it from the last
 * resume token, so nothing stored in between is lost; an error reopens it from there too, and
 * when the token is too old to resume from, the followed streams recount (gap).
 */
export class ChangeStreamAnswerFeed implements AnswerFeed {
  readonly description: string;
  private readonly logger = new Logger('LiveAnswers');
  private ids: string[] = [];
  private stream: AnswerChangeStream | null = null;
  private token: unknown = undefined;
  private retry: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly watch: WatchAnswers,
    private readonly sink: AnswerFeedSink,
    setName: string,
  ) {
    this.description = `change streams (replica set ${setName})`;
  }

  follow(broadcastIds: string[]): Promise<void> {
    this.ids = [...broadcastIds];
    return this.reopen();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    await this.closeStream();
  }

  /** The pipeline: inserts into the followed broadcasts, and of each answer only what a tally needs. */
  static pipeline(broadcastIds: string[]): Record<string, unknown>[] {
    const fields: Record<string, 1> = { operationType: 1 };
    for (const field of Object.keys(LIVE_ANSWER_FIELDS)) fields[`fullDocument.${field}`] = 1;
    return [
      {
        $match: {
          operationType: 'insert',
          'fullDocument.broadcast_id': { $in: broadcastIds.map((id) => new Types.ObjectId(id)) },
        },
      },
      // The event's _id (the resume token) is kept: a change stream cannot resume without it.
      { $project: fields },
    ];
  }

  /** Resolves once the new stream runs (or OPEN_WAIT_MS passed, or there is nothing to follow). */
  private reopen(): Promise<void> {
    void this.closeStream();
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    if (this.stopped || this.ids.length === 0) return Promise.resolve();
    const resumed = this.token !== undefined;
    const stream = this.watch(
      ChangeStreamAnswerFeed.pipeline(this.ids),
      resumed ? { resumeAfter: this.token } : {},
    );
    this.stream = stream;
    let markStarted: () => void = () => undefined;
    const started = new Promise<void>((resolve) => {
      markStarted = resolve;
      setTimeout(resolve, OPEN_WAIT_MS).unref();
    });
    stream.on('change', (change) => {
      if (stream !== this.stream) return;
      this.token = change._id;
      if (change.fullDocument) this.sink.answers([toLiveAnswer(change.fullDocument)]);
    });
    // The driver sets the first token from the opening aggregate's answer (its
    // postBatchResumeToken): from then on the server has the stream, and no insert is missed.
    stream.on('resumeTokenChanged', (token) => {
      if (stream !== this.stream || token === undefined || token === null) return;
      this.token = token;
      markStarted();
    });
    stream.on('error', (error) => {
      if (stream !== this.stream) return;
      void this.closeStream();
      const lost = (error as { code?: unknown }).code === HISTORY_LOST;
      // Too old to resume from: start afresh, and once it runs the streams recount.
      if (lost) this.token = undefined;
      this.logger.warn(`live answers change stream failed (${error.message}): reopening`);
      this.retry = setTimeout(() => {
        this.retry = null;
        void this.reopen().then(() => {
          if (lost && this.ids.length > 0) this.sink.gap(this.ids);
        });
      }, CHANGE_STREAM_RETRY_MS);
    });
    // Resuming from a token misses nothing that was stored after it: no need to wait.
    return resumed ? Promise.resolve() : started;
  }

  private async closeStream(): Promise<void> {
    const stream = this.stream;
    this.stream = null;
    if (stream) await stream.close().catch(() => undefined);
  }
}
