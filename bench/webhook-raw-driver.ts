/**
 * Raw-driver baseline for the webhook ingest benchmark: the database writes the app makes for a
 * join, straight through the MongoDB driver (no HTTP, no Nest), at full speed with the same
 * concurrency. webhook-ingest.ts runs it before each HTTP step and at the end; alone it measures
 * the database on its own:
 *
 *   npx ts-node --transpile-only bench/webhook-raw-driver.ts [seconds=10]
 *
 * MONGO_URI is used if set; otherwise a local MongoDB-wire server is started.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { percentile } from './answer-burst';
import {
  CONNECTIONS,
  DatabaseBench,
  fmt,
  MEETING_SIZE,
  openBenchDatabase,
  rateOf,
} from './lib/webhook-load';

type Where = { meeting_id: string; meeting_uuid: string; participant_key: string };

/** Builds the upsert's filter for a join at `ts`. */
export type FilterShape = (where: Where, ts: number) => Record<string, unknown>;

/** The repository's filter: exactly the unique key (docs/architecture.md §16). */
export const currentFilter: FilterShape = (where) => where;

/** The repository's earlier filter: the key fields, then flat "only if older" conditions. */
export const conditionalFilter: FilterShape = (where, ts) => ({
  ...where,
  join_ts: { $not: { $gte: ts } },
  leave_ts: { $not: { $gte: ts } },
  ended_ts: { $not: { $gte: ts } },
});

export interface RawResult {
  label: string;
  collectionBefore: number;
  /** Database CPU per event (ms). */
  dbCpu: number;
  events: number;
  wallMs: number;
  /** Per event: the participant upsert and the occurrence touch, as the app does them. */
  latencies: number[];
  /** The participant upsert alone. */
  upsertLatencies: number[];
}

/**
 * The database work of one join in the app (ParticipantsRepository.applyEvents and the
 * occurrence touch of OccurrencesRepository.applyEvents), one event per round trip: an upsert on
 * the unique key with `$max` and `$setOnInsert`, and the occurrence's `$min`. The app sends the
 * same operations, many to a command (group commit). CONNECTIONS workers loop until `seconds`
 * have passed. `filterFor` builds the upsert's filter: the repository's (currentFilter) unless a
 * benchmark compares another shape (webhook-filter-shape.ts).
 */
export async function rawBaseline(
  b: DatabaseBench,
  tag: string,
  seconds: number,
  label: string,
  filterFor: FilterShape = currentFilter,
): Promise<RawResult> {
  const participants = b.db.collection('participants');
  const occurrences = b.db.collection('meeting_occurrences');
  const latencies: number[] = [];
  const upsertLatencies: number[] = [];
  let next = 0;
  const uuids = new Set<string>();
  const collectionBefore = await participants.estimatedDocumentCount();
  const dbCpuBefore = b.dbCpuMs();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < deadline) {
        const p = next++;
        const ts = Date.now();
        const now = new Date();
        const meetingId = String(70_000_000 + Math.floor(p / MEETING_SIZE));
        const uuid = `${b.runId}-raw-${tag}-${Math.floor(p / MEETING_SIZE)}==`;
        uuids.add(uuid);
        const key = `${b.runId}-raw-${tag}-p${p}`;
        const t0 = performance.now();
        const where = { meeting_id: meetingId, meeting_uuid: uuid, participant_key: key };
        const filter = filterFor(where, ts);
        await participants.updateOne(
          filter,
          {
            $max: { join_ts: ts, join_time: now, last_event_ts: ts },
            $set: { updated_at: now },
            $setOnInsert: {
              user_id: String(16_000_000 + p),
              participant_uuid: key,
              zoom_user_id: null,
              name: `Raw User ${p}`,
              email: null,
              person_key: key,
              raw_data: { user_id: String(16_000_000 + p), user_name: `Raw User ${p}` },
              identity_rank: 1e13 + ts,
              leave_ts: null,
              leave_time: null,
              waiting_ts: null,
              waiting_left_ts: null,
              created_at: now,
            },
          },
          { upsert: true },
        );
        const t1 = performance.now();
        await occurrences.updateOne(
          { meeting_id: meetingId, uuid },
          {
            $min: { first_event_ts: ts },
            $set: { updated_at: now },
            $setOnInsert: {
              kind: 'meeting',
              topic: null,
              host_id: null,
              start_time: null,
              end_time: null,
              started_ts: null,
              ended_ts: null,
              created_at: now,
            },
          },
          { upsert: true },
        );
        const t2 = performance.now();
        upsertLatencies.push(t1 - t0);
        latencies.push(t2 - t0);
      }
    }),
  );
  const wallMs = performance.now() - started;
  const dbCpu = (b.dbCpuMs() - dbCpuBefore) / Math.max(1, latencies.length);
  // The baseline's own records go again, so only the HTTP steps grow the collection and each
  // probe runs at the size the next step starts from.
  await participants.deleteMany({ meeting_uuid: { $in: [...uuids] } });
  await occurrences.deleteMany({ uuid: { $in: [...uuids] } });
  return {
    label,
    collectionBefore,
    dbCpu,
    events: latencies.length,
    wallMs,
    latencies: latencies.sort((x, y) => x - y),
    upsertLatencies: upsertLatencies.sort((x, y) => x - y),
  };
}

/** One line per raw run: rate, latency, database CPU. */
export function describeRaw(r: RawResult): string {
  return (
    `${r.label}: ${fmt(rateOf(r.events, r.wallMs), 0)} events/s, p50 ${fmt(percentile(r.latencies, 50))} ms, ` +
    `p99 ${fmt(percentile(r.latencies, 99))} ms, database CPU ${fmt(r.dbCpu, 2)} ms/event ` +
    `(collection had ${r.collectionBefore} records)`
  );
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 10);
  if (!(seconds >= 1 && seconds <= 600))
    throw new Error('usage: webhook-raw-driver.ts [seconds 1..600]');
  const runId = randomBytes(3).toString('hex');
  const database = await openBenchDatabase(`zlq_bench_raw_${runId}`);
  try {
    const bench = { db: database.db, runId, dbCpuMs: () => database.dbCpuMs() };
    console.log(describeRaw(await rawBaseline(bench, 'alone', seconds, 'raw driver')));
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
