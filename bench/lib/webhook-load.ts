/**
 * Shared by the webhook benchmarks (bench/webhook-ingest.ts, webhook-raw-driver.ts,
 * webhook-filter-shape.ts): the event mix and its signing, the handle on the app and database
 * under test, the database itself, and number formatting.
 */
import mongoose, { mongo } from 'mongoose';
import { withDatabase } from '../../test/utils/database';
import { participantEvent, zoomSignature } from '../../test/utils/webhook-helpers';
import { startMongoServer } from '../../tools/mongo-server/launch';
import { BENCH_DB_OPTIONS, childDatabasePid, processCpuMs } from './processes';

/** Participants per meeting occurrence (Zoom's usual meeting cap is 300-1,000). */
export const MEETING_SIZE = 500;
/**
 * autocannon's rate limit lets each connection send its per-second quota back to back at the
 * start of each second, all connections together: one instance would offer a burst every
 * second, not a rate. STAGGER instances started 1/STAGGER s apart each carry 1/STAGGER of the
 * rate, so a slice of the load arrives every 100 ms.
 */
export const STAGGER = 10;
/** Total connections (Zoom delivers from many senders at once); also the raw baseline's workers. */
export const CONNECTIONS = 200;
/** Signed timestamps must stay inside the app's 300 s window for the whole (capped) step. */
export const MAX_SECONDS = 120;
export const WEBHOOK_PATH = '/api/zoom/webhook';

export interface PlannedEvent {
  kind: 'joined' | 'left' | 'ignored';
  /** participant_key in the database: participant_uuid here. */
  key: string;
  raw: Buffer;
}

export interface SignedEvent extends PlannedEvent {
  headers: Record<string, string>;
}

/** Deterministic pseudo-random numbers (mulberry32), so every run offers the same mix. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `n` events for one step: ~75 % joins of new participants, ~10 % retries of an earlier join
 * (byte-identical body, as Zoom re-sends), ~15 % leaves of an earlier joined participant (with a
 * later event_ts). Concurrent delivery may apply a leave before its join; the repository's
 * order-independent writes must still end with exactly one record per participant, left iff
 * its leave was accepted.
 */
export function planEvents(
  runId: string,
  step: number,
  n: number,
): { events: PlannedEvent[]; uuids: string[] } {
  const random = rng(step + 1);
  const baseTs = Date.now() - 60_000;
  const joins: Array<{ key: string; raw: Buffer; participant: number }> = [];
  const left = new Set<number>();
  const events: PlannedEvent[] = [];
  const uuids: string[] = [];
  const meetingOf = (p: number) => {
    const m = Math.floor(p / MEETING_SIZE);
    const uuid = `${runId}-${step}-${m}==`;
    if (uuids.length === m) uuids.push(uuid);
    return { meetingId: String(80_000_000 + step * 10_000 + m), uuid };
  };
  const body = (kind: 'joined' | 'left', p: number, ts: number) =>
    Buffer.from(
      JSON.stringify(
        participantEvent(kind, {
          ...meetingOf(p),
          ts,
          participant: {
            user_id: String(16_000_000 + p),
            user_name: `Bench User ${p}`,
            participant_uuid: `${runId}-${step}-p${p}`,
            // Some signed-in users, some guests: both identity paths of the repository.
            ...(p % 2 === 0 ? { id: `zu${runId}${p}`, email: `user${p}@example.com` } : {}),
          },
        }),
      ),
    );
  for (let i = 0; i < n; i++) {
    const ts = baseTs + i;
    const r = random();
    if (joins.length >= 20 && r >= 0.75 && r < 0.85) {
      const earlier = joins[Math.floor(random() * joins.length)];
      events.push({ kind: 'joined', key: earlier.key, raw: earlier.raw });
      continue;
    }
    if (joins.length >= 20 && r >= 0.85) {
      const earlier = joins[Math.floor(random() * joins.length)];
      if (!left.has(earlier.participant)) {
        left.add(earlier.participant);
        events.push({ kind: 'left', key: earlier.key, raw: body('left', earlier.participant, ts) });
        continue;
      }
    }
    const p = joins.length;
    const join = { key: `${runId}-${step}-p${p}`, raw: body('joined', p, ts), participant: p };
    joins.push(join);
    events.push({ kind: 'joined', key: join.key, raw: join.raw });
  }
  return { events, uuids };
}

/**
 * `n` signed events of a type the app acknowledges and ignores (`meeting.chat_message_sent`):
 * HTTP, signature check and parsing, no database. The baseline an event's cost is compared with.
 */
export function planIgnored(runId: string, step: number, n: number): PlannedEvent[] {
  const baseTs = Date.now() - 60_000;
  return Array.from({ length: n }, (_, i) => ({
    kind: 'ignored' as const,
    key: `${runId}-${step}-ignored-${i}`,
    raw: Buffer.from(
      JSON.stringify({
        event: 'meeting.chat_message_sent',
        event_ts: baseTs + i,
        payload: { account_id: 'acc-1', object: { id: String(80_000_000 + step), uuid: 'x' } },
      }),
    ),
  }));
}

/** Signs a whole step at once, just before it runs: one timestamp, fresh for the step. */
export function signAll(events: PlannedEvent[], secret: string): SignedEvent[] {
  const timestamp = String(Math.floor(Date.now() / 1000));
  return events.map((e) => ({
    ...e,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'x-zm-request-timestamp': timestamp,
      'x-zm-signature': zoomSignature(secret, timestamp, e.raw),
    },
  }));
}

export interface Bench {
  url: string;
  secret: string;
  db: mongo.Db;
  runId: string;
  appCpuMs(): number;
  dbCpuMs(): number;
  /** Database commands the app has started (driver command monitoring), NaN if not counted. */
  appCommands(): Promise<number>;
}

/** What the raw-driver benchmarks need of a Bench: the database and its CPU. */
export type DatabaseBench = Pick<Bench, 'db' | 'runId' | 'dbCpuMs'>;

export interface BenchDatabase {
  uri: string;
  db: mongo.Db;
  /** The database server's CPU time (ms) when this process started it, else NaN. */
  dbCpuMs(): number;
  close(): Promise<void>;
}

/** MONGO_URI if set, else a MongoDB-wire server of its own; a fresh database named `name`. */
export async function openBenchDatabase(name: string): Promise<BenchDatabase> {
  const server = process.env.MONGO_URI ? null : await startMongoServer(BENCH_DB_OPTIONS);
  const uri = withDatabase(process.env.MONGO_URI ?? server?.uri ?? '', name);
  const connection = await mongoose.createConnection(uri).asPromise();
  const db = connection.db;
  if (!db) throw new Error('no database handle');
  const dbPid = server ? childDatabasePid() : undefined;
  return {
    uri,
    db,
    dbCpuMs: () => processCpuMs(dbPid),
    close: async () => {
      await connection.close();
      await server?.stop();
    },
  };
}

export const fmt = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');
export const rateOf = (count: number, ms: number) => (count / ms) * 1000;
