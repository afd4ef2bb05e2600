import { EventEmitter } from 'node:events';
import { Types } from 'mongoose';
import type { AnswerFeedSink, LiveAnswer } from './answer-feed';
import {
  CHANGE_STREAM_RETRY_MS,
  ChangeStreamAnswerFeed,
  type AnswerChange,
  type AnswerChangeStream,
} from './change-stream-answer-feed';

/** A fake of the driver's ChangeStream: the test plays the server's part. */
class FakeStream extends EventEmitter implements AnswerChangeStream {
  closed = false;
  constructor(
    readonly pipeline: Record<string, unknown>[],
    readonly options: { resumeAfter?: unknown },
  ) {
    super();
  }
  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
  insert(doc: Record<string, unknown>, token: unknown): void {
    const change: AnswerChange = { _id: token, fullDocument: doc as never };
    this.emit('change', change);
  }
}

const A = new Types.ObjectId().toHexString();
const B = new Types.ObjectId().toHexString();

function setup() {
  const streams: FakeStream[] = [];
  const received: LiveAnswer[] = [];
  const gaps: string[][] = [];
  const sink: AnswerFeedSink = {
    answers: (answers) => received.push(...answers),
    gap: (ids) => gaps.push(ids),
  };
  const feed = new ChangeStreamAnswerFeed(
    (pipeline, options) => {
      const stream = new FakeStream(pipeline, options);
      streams.push(stream);
      return stream;
    },
    sink,
    'rs0',
  );
  return { feed, streams, received, gaps };
}

/** A stored answer as the pipeline's $project leaves it (what a real server would send). */
const answerDoc = (broadcast: string, choice: number) => ({
  _id: new Types.ObjectId(),
  broadcast_id: new Types.ObjectId(broadcast),
  choice,
  correct: choice === 0,
  credit: choice === 0 ? 1 : 0,
  score: choice === 0 ? 100 : 0,
  anonymous: true,
  lang: 'fr',
});

describe('ChangeStreamAnswerFeed', () => {
  afterEach(() => jest.useRealTimers());

  it('watches inserts into the followed broadcasts only, and only the fields a tally needs', async () => {
    const { feed, streams } = setup();
    const following = feed.follow([A, B]);
    expect(streams).toHaveLength(1);
    const [match, project] = streams[0].pipeline as Array<Record<string, Record<string, unknown>>>;
    expect(match.$match).toEqual({
      operationType: 'insert',
      'fullDocument.broadcast_id': { $in: [new Types.ObjectId(A), new Types.ObjectId(B)] },
    });
    const fields = Object.keys(project.$project);
    expect(fields).toContain('fullDocument.choice');
    expect(fields).toContain('fullDocument._id');
    // Nothing that names who answered is ever read.
    for (const personal of ['recipient_key', 'name', 'email', 'delivery_id', 'latency_ms']) {
      expect(fields).not.toContain(`fullDocument.${personal}`);
    }
    expect(fields).not.toContain('fullDocument');
    // The first stream waits until the change stream runs (nothing stored after is missed).
    let ready = false;
    void following.then(() => (ready = true));
    await Promise.resolve();
    expect(ready).toBe(false);
    streams[0].emit('resumeTokenChanged', { _data: 'opened' });
    await following;
    expect(streams[0].options).toEqual({});
  });

  it('delivers each insert as a live answer with its id and value, nothing of the person', async () => {
    const { feed, streams, received } = setup();
    const following = feed.follow([A]);
    streams[0].emit('resumeTokenChanged', { _data: 'opened' });
    await following;
    const doc = answerDoc(A, 0);
    streams[0].insert(doc, { _data: 'token-1' });
    expect(received).toEqual([
      {
        answerId: doc._id.toHexString(),
        broadcastId: A,
        choice: 0,
        correct: true,
        credit: 1,
        score: 100,
        anonymous: true,
        lang: 'fr',
      },
    ]);
  });

  it('a new set of broadcasts reopens from the last resume token; the old stream is closed and ignored', async () => {
    const { feed, streams, received } = setup();
    const first = feed.follow([A]);
    streams[0].emit('resumeTokenChanged', { _data: 'opened' });
    await first;
    streams[0].insert(answerDoc(A, 1), { _data: 'token-1' });
    streams[0].emit('resumeTokenChanged', { _data: 'token-2' });

    await feed.follow([A, B]);
    expect(streams).toHaveLength(2);
    expect(streams[0].closed).toBe(true);
    expect(streams[1].options).toEqual({ resumeAfter: { _data: 'token-2' } });
    streams[0].insert(answerDoc(A, 0), { _data: 'late' });
    expect(received).toHaveLength(1);

    // The last stream gone: no change stream at all.
    await feed.follow([]);
    expect(streams[1].closed).toBe(true);
    expect(streams).toHaveLength(2);
  });

  it('resumes after an error from the last token, without a gap', async () => {
    jest.useFakeTimers();
    const { feed, streams, gaps } = setup();
    const first = feed.follow([A]);
    streams[0].emit('resumeTokenChanged', { _data: 'opened' });
    await first;
    streams[0].insert(answerDoc(A, 0), { _data: 'token-1' });
    streams[0].emit('error', Object.assign(new Error('not primary'), { code: 10107 }));
    expect(streams[0].closed).toBe(true);
    jest.advanceTimersByTime(CHANGE_STREAM_RETRY_MS);
    expect(streams).toHaveLength(2);
    expect(streams[1].options).toEqual({ resumeAfter: { _data: 'token-1' } });
    await Promise.resolve();
    expect(gaps).toEqual([]);
  });

  it('when the token fell off the oplog, starts afresh and has the streams recount once it runs', async () => {
    jest.useFakeTimers();
    const { feed, streams, gaps } = setup();
    const first = feed.follow([A]);
    streams[0].emit('resumeTokenChanged', { _data: 'opened' });
    await first;
    streams[0].insert(answerDoc(A, 0), { _data: 'token-1' });
    streams[0].emit('error', Object.assign(new Error('history lost'), { code: 286 }));
    jest.advanceTimersByTime(CHANGE_STREAM_RETRY_MS);
    expect(streams).toHaveLength(2);
    expect(streams[1].options).toEqual({});
    expect(gaps).toEqual([]);
    streams[1].emit('resumeTokenChanged', { _data: 'opened' });
    await Promise.resolve();
    await Promise.resolve();
    expect(gaps).toEqual([[A]]);
    await feed.stop();
  });
});
