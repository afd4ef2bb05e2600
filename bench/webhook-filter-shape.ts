/**
 * Filter shape on the test database: the join upsert with the repository's filter (exactly the
 * unique key, docs/architecture.md §16) against its earlier "only if older" filters: key fields
 * then flat `$not` conditions, and before that an `$and` of three `$or`s, which Mongoose placed
 * before the key fields. mongo-java-server uses the unique index only for an exact key and scans
 * the collection for the others, evaluating a filter's keys in order. Real MongoDB answers all
 * three from the unique index.
 * webhook-ingest.ts prints this comparison at the end of its run; alone, the collection is first
 * filled with `records` participants so the scan has something to cost:
 *
 *   npx ts-node --transpile-only bench/webhook-filter-shape.ts [seconds=5] [records=20000]
 */
import { randomBytes } from 'node:crypto';
import { openBenchDatabase } from './lib/webhook-load';
import {
  conditionalFilter,
  currentFilter,
  describeRaw,
  FilterShape,
  rawBaseline,
} from './webhook-raw-driver';

const olderThan = (field: string, ts: number) => ({
  $or: [{ [field]: null }, { [field]: { $lt: ts } }],
});

/** The repository's previous filter, in the order Mongoose sent it. */
export const legacyFilter: FilterShape = (where, ts) => ({
  $and: [olderThan('join_ts', ts), olderThan('leave_ts', ts), olderThan('ended_ts', ts)],
  ...where,
});

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 5);
  const records = Number(process.argv[3] ?? 20_000);
  if (!(seconds >= 1 && seconds <= 600) || !(records >= 0)) {
    throw new Error('usage: webhook-filter-shape.ts [seconds 1..600] [records >= 0]');
  }
  const runId = randomBytes(3).toString('hex');
  const database = await openBenchDatabase(`zlq_bench_filter_${runId}`);
  try {
    const participants = database.db.collection('participants');
    for (let done = 0; done < records; done += 1000) {
      const batch = Array.from({ length: Math.min(1000, records - done) }, (_, i) => ({
        meeting_id: '60000000',
        meeting_uuid: `${runId}-fill==`,
        participant_key: `${runId}-fill-p${done + i}`,
        join_ts: Date.now(),
        leave_ts: null,
        ended_ts: null,
        status: 'joined',
      }));
      await participants.insertMany(batch);
    }
    const bench = { db: database.db, runId, dbCpuMs: () => database.dbCpuMs() };
    console.log(
      describeRaw(await rawBaseline(bench, 'now', seconds, 'unique key only', currentFilter)),
    );
    console.log(
      describeRaw(
        await rawBaseline(bench, 'flat', seconds, 'key + flat $not conditions', conditionalFilter),
      ),
    );
    console.log(
      describeRaw(
        await rawBaseline(bench, 'legacy', seconds, 'previous $and filter', legacyFilter),
      ),
    );
  } finally {
    await database.close();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
