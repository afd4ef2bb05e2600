/**
 * Starts its own mongo-java-server and checks, through Mongoose 8, every MongoDB feature the app
 * relies on. If one of these fails after a library upgrade, the app's persistence patterns break
 * in tests too; README.md's table mirrors these assertions.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose, { Connection, Model, Schema } from 'mongoose';
import { MongoServerHandle, startMongoServer } from './launch';

interface Answer {
  sessionId: string;
  questionId: string;
  participantId: string;
  value: string;
  seq: number;
  answeredAt: Date;
}

interface Lease {
  key: string;
  owner: string | null;
  leaseUntil: Date;
  attempts: number;
  maxSeq: number;
  createdBy?: string;
}

const answerSchema = new Schema<Answer>({
  sessionId: { type: String, required: true },
  questionId: { type: String, required: true },
  participantId: { type: String, required: true },
  value: String,
  seq: { type: Number, default: 0 },
  answeredAt: Date,
});
answerSchema.index({ sessionId: 1, questionId: 1, participantId: 1 }, { unique: true });
answerSchema.index({ sessionId: 1, answeredAt: -1 });

const leaseSchema = new Schema<Lease>({
  key: { type: String, required: true },
  owner: { type: String, default: null },
  leaseUntil: Date,
  attempts: { type: Number, default: 0 },
  maxSeq: { type: Number, default: 0 },
  createdBy: String,
});
leaseSchema.index({ key: 1 }, { unique: true });

/** The driver error code for a unique-index violation. */
const DUPLICATE_KEY = 11000;

async function expectDuplicateKey(promise: Promise<unknown>): Promise<void> {
  await expect(promise).rejects.toMatchObject({ code: DUPLICATE_KEY });
}

/** Timings go to stderr so they show up in the Jest output without failing anything. */
function report(label: string, ms: number): void {
  process.stderr.write(`mongo-server: ${label}: ${ms.toFixed(0)} ms\n`);
}

describe('mongo-java-server through Mongoose 8', () => {
  let server: MongoServerHandle;
  let conn: Connection;
  let Answers: Model<Answer>;
  let Leases: Model<Lease>;

  beforeAll(async () => {
    const started = performance.now();
    server = await startMongoServer();
    report('cold start (spawn to LISTENING)', performance.now() - started);
    conn = await mongoose.createConnection(`${server.uri}/zlq_launch_spec`).asPromise();
    Answers = conn.model('Answer', answerSchema);
    Leases = conn.model('Lease', leaseSchema);
    // Model.init() runs createIndexes from the schema's index() declarations.
    await Promise.all([Answers.init(), Leases.init()]);
  });

  afterAll(async () => {
    await conn?.close();
    await server?.stop();
  });

  beforeEach(async () => {
    await Promise.all([Answers.deleteMany({}), Leases.deleteMany({})]);
  });

  it('answers the admin ping and reports a wire version the driver accepts', async () => {
    await expect(conn.db!.admin().ping()).resolves.toMatchObject({ ok: 1 });
    // The server only knows the legacy handshake: `hello` is "no such command", so the driver falls
    // back to isMaster. Hence: never set Mongoose's `serverApi` option (it forces `hello`).
    await expect(conn.db!.admin().command({ hello: 1 })).rejects.toThrow(/no such command/);
    const isMaster = await conn.db!.admin().command({ isMaster: 1 });
    expect(isMaster.maxWireVersion).toBe(8);
    const info = await conn.db!.admin().buildInfo();
    expect(info.version).toBe('5.0.0');
  });

  it('creates the indexes declared with schema.index()', async () => {
    const indexes = await Answers.collection.indexes();
    const compound = indexes.find((i) => i.key.sessionId === 1 && i.key.questionId === 1);
    expect(compound).toMatchObject({
      unique: true,
      key: { sessionId: 1, questionId: 1, participantId: 1 },
    });
    expect(indexes.some((i) => i.key.answeredAt === -1)).toBe(true);
  });

  it('enforces a unique compound index on insert (11000)', async () => {
    const doc = { sessionId: 's1', questionId: 'q1', participantId: 'p1', value: 'a' };
    await Answers.create(doc);
    await expectDuplicateKey(Answers.create({ ...doc, value: 'b' }));
    // A different participant is fine.
    await Answers.create({ ...doc, participantId: 'p2' });
    expect(await Answers.countDocuments({ sessionId: 's1' })).toBe(2);
  });

  it('"apply only if newer": a conditional upsert that misses an existing doc raises 11000', async () => {
    const key = { sessionId: 's1', questionId: 'q1', participantId: 'p1' };
    await Answers.create({ ...key, value: 'new', seq: 10 });

    // Older event (seq 5 < stored 10): the filter matches nothing, the upsert tries to insert a
    // second doc with the same unique key, and the server rejects it. Callers treat 11000 as "stale".
    await expectDuplicateKey(
      Answers.updateOne(
        { ...key, seq: { $lt: 5 } },
        { $set: { value: 'old', seq: 5 } },
        { upsert: true },
      ),
    );
    // Newer event (seq 20): matches and updates in place.
    const newer = await Answers.updateOne(
      { ...key, seq: { $lt: 20 } },
      { $set: { value: 'newest', seq: 20 } },
      { upsert: true },
    );
    expect(newer).toMatchObject({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0 });
    // First event for a new key: inserted.
    const first = await Answers.updateOne(
      { ...key, participantId: 'p2', seq: { $lt: 1 } },
      { $set: { value: 'x', seq: 1 } },
      { upsert: true },
    );
    expect(first.upsertedCount).toBe(1);

    const stored = await Answers.findOne(key).lean();
    expect(stored).toMatchObject({ value: 'newest', seq: 20 });
    expect(await Answers.countDocuments({ sessionId: 's1' })).toBe(2);
  });

  it('"claim with a lease": findOneAndUpdate with upsert, $or/$lt filter, $set/$setOnInsert/$inc/$max', async () => {
    const claim = (owner: string, now: Date, seq: number) =>
      Leases.findOneAndUpdate(
        { key: 'job-1', $or: [{ owner: null }, { leaseUntil: { $lt: now } }, { owner }] },
        {
          $set: { owner, leaseUntil: new Date(now.getTime() + 30_000) },
          $setOnInsert: { createdBy: owner },
          $inc: { attempts: 1 },
          $max: { maxSeq: seq },
        },
        { upsert: true, returnDocument: 'after' },
      ).lean();

    const t0 = new Date('2026-01-01T00:00:00.000Z');
    // No record yet: upsert creates it; $setOnInsert applies; the returned doc is the new one.
    const created = await claim('worker-a', t0, 3);
    expect(created).toMatchObject({
      key: 'job-1',
      owner: 'worker-a',
      attempts: 1,
      maxSeq: 3,
      createdBy: 'worker-a',
    });
    expect(created?.leaseUntil).toEqual(new Date(t0.getTime() + 30_000));

    // Lease still held by worker-a: the filter misses, the upsert collides with the unique key.
    await expectDuplicateKey(claim('worker-b', new Date(t0.getTime() + 1_000), 9));

    // Lease expired: worker-b takes it; $setOnInsert is not applied on update, $max keeps the max.
    const taken = await claim('worker-b', new Date(t0.getTime() + 60_000), 2);
    expect(taken).toMatchObject({
      owner: 'worker-b',
      attempts: 2,
      maxSeq: 3,
      createdBy: 'worker-a',
    });
    const raised = await claim('worker-b', new Date(t0.getTime() + 61_000), 7);
    expect(raised).toMatchObject({ attempts: 3, maxSeq: 7 });
  });

  it('bulkWrite (ordered: false) with updateOne upserts', async () => {
    await Answers.create({ sessionId: 's1', questionId: 'q1', participantId: 'p1', value: 'a' });
    const result = await Answers.bulkWrite(
      ['p1', 'p2', 'p3'].map((participantId) => ({
        updateOne: {
          filter: { sessionId: 's1', questionId: 'q1', participantId },
          update: { $set: { value: 'bulk' }, $inc: { seq: 1 } },
          upsert: true,
        },
      })),
      { ordered: false },
    );
    expect(result).toMatchObject({ matchedCount: 1, modifiedCount: 1, upsertedCount: 2 });
    expect(await Answers.countDocuments({ value: 'bulk' })).toBe(3);
  });

  it('insertMany (ordered: false) with a duplicate: the others are inserted, then it throws 11000', async () => {
    const docs = ['p1', 'p2', 'p1', 'p3'].map((participantId) => ({
      sessionId: 's1',
      questionId: 'q1',
      participantId,
    }));
    const error: unknown = await Answers.insertMany(docs, { ordered: false }).catch(
      (err: unknown) => err,
    );
    expect(error).toMatchObject({ code: DUPLICATE_KEY });
    expect((error as { writeErrors: unknown[] }).writeErrors).toHaveLength(1);
    expect(await Answers.countDocuments({ sessionId: 's1' })).toBe(3);
  });

  it('countDocuments, find with sort/skip/limit, $in, distinct', async () => {
    await Answers.insertMany(
      Array.from({ length: 10 }, (_, i) => ({
        sessionId: i < 6 ? 's1' : 's2',
        questionId: `q${i % 3}`,
        participantId: `p${i}`,
        seq: i,
      })),
    );
    expect(await Answers.countDocuments({ sessionId: 's1' })).toBe(6);
    const page = await Answers.find({ sessionId: 's1' }).sort({ seq: -1 }).skip(1).limit(2).lean();
    expect(page.map((a) => a.seq)).toEqual([4, 3]);
    const picked = await Answers.find({ participantId: { $in: ['p1', 'p7', 'nobody'] } })
      .sort({ participantId: 1 })
      .lean();
    expect(picked.map((a) => a.participantId)).toEqual(['p1', 'p7']);
    expect((await Answers.distinct('questionId', { sessionId: 's2' })).sort()).toEqual([
      'q0',
      'q1',
      'q2',
    ]);
  });

  it('aggregate: $match, $group with $sum and $first, $sort, $limit', async () => {
    await Answers.insertMany([
      { sessionId: 's1', questionId: 'q1', participantId: 'p1', value: 'A', seq: 1 },
      { sessionId: 's1', questionId: 'q1', participantId: 'p2', value: 'B', seq: 2 },
      { sessionId: 's1', questionId: 'q1', participantId: 'p3', value: 'A', seq: 3 },
      { sessionId: 's1', questionId: 'q2', participantId: 'p1', value: 'C', seq: 4 },
      { sessionId: 's2', questionId: 'q1', participantId: 'p1', value: 'A', seq: 5 },
    ]);
    const rows = await Answers.aggregate<{ _id: string; count: number; firstBy: string }>([
      { $match: { sessionId: 's1', questionId: 'q1' } },
      { $sort: { seq: 1 } },
      { $group: { _id: '$value', count: { $sum: 1 }, firstBy: { $first: '$participantId' } } },
      { $sort: { count: -1, _id: 1 } },
      { $limit: 1 },
    ]);
    expect(rows).toEqual([{ _id: 'A', count: 2, firstBy: 'p1' }]);
  });

  it('round-trips Dates with millisecond precision', async () => {
    const at = new Date('2026-11-27T03:04:05.678Z');
    await Answers.create({
      sessionId: 's1',
      questionId: 'q1',
      participantId: 'p1',
      answeredAt: at,
    });
    const found = await Answers.findOne({
      answeredAt: { $gte: at, $lt: new Date(at.getTime() + 1) },
    }).lean();
    expect(found?.answeredAt).toBeInstanceOf(Date);
    expect(found?.answeredAt.getTime()).toBe(at.getTime());
  });

  it('rough throughput: 1,000 sequential insertOne and findOneAndUpdate', async () => {
    let started = performance.now();
    for (let i = 0; i < 1000; i++) {
      await Answers.collection.insertOne({
        sessionId: 'bench',
        questionId: 'q',
        participantId: `p${i}`,
        seq: 0,
      });
    }
    report('1,000 sequential insertOne', performance.now() - started);

    started = performance.now();
    for (let i = 0; i < 1000; i++) {
      await Answers.findOneAndUpdate(
        { sessionId: 'bench', questionId: 'q', participantId: `p${i}` },
        { $inc: { seq: 1 } },
        { returnDocument: 'after' },
      ).lean();
    }
    report('1,000 sequential findOneAndUpdate (indexed filter)', performance.now() - started);
    expect(await Answers.countDocuments({ sessionId: 'bench', seq: 1 })).toBe(1000);
  });
});

describe('startMongoServer', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'zlq-mongo-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps data across restarts with --data-file (H2 backend)', async () => {
    const dataFile = join(dir, 'dev.mv');
    const first = await startMongoServer({ dataFile });
    let conn = await mongoose.createConnection(`${first.uri}/zlq_persist`).asPromise();
    await conn.collection('things').insertOne({ name: 'kept', at: new Date(0) });
    await conn.close();
    await first.stop();
    await first.stop(); // idempotent

    const second = await startMongoServer({ dataFile });
    try {
      conn = await mongoose.createConnection(`${second.uri}/zlq_persist`).asPromise();
      expect(await conn.collection('things').findOne({ name: 'kept' })).toMatchObject({
        at: new Date(0),
      });
      await conn.close();
    } finally {
      await second.stop();
    }
  });

  it('fails with the server stderr when the port is taken', async () => {
    const first = await startMongoServer();
    try {
      await expect(startMongoServer({ port: first.port })).rejects.toThrow(
        /exited before it was ready[\s\S]*Bind/i,
      );
    } finally {
      await first.stop();
    }
  });
});
