/**
 * Order independence, property-style: seeded random join/leave/rejoin histories (rejoins with a
 * new user_id, same Zoom user id or email; guests with neither; meeting.ended; a second
 * occurrence; waiting-room arrivals, admits, put-backs and leaves from the waiting room) are
 * delivered duplicated, shuffled and partly concurrent, and must always end in the state a naive
 * in-order replay of the same history gives (docs/zoom.md §3: at-least-once, unordered; §7).
 */
import { ParticipantsService } from '../src/participants/participants.service';
import type { MeetingPerson } from '../src/participants/people';
import { WebhookService } from '../src/webhook/webhook.service';
import { BOOTSTRAP_ADMIN } from './utils/actors';
import { createTestApp, TEST_API_KEY, TestApp } from './utils/test-app';
import {
  connectionOf,
  meetingEvent,
  participantEvent,
  postWebhook,
  TestParticipant,
  waitingRoomEvent,
  type WaitingRoomAction,
} from './utils/webhook-helpers';

/**
 * A bound for hangs, not a speed limit: on a machine loaded many times over (load 15-18 on 2
 * cores) the 240 histories took over 240 s and failed on time alone, though all converged.
 */
const HANG_BOUND_MS = 15 * 60_000;
const SERVICE_CASES = 240;
const HTTP_CASES = 24;
const TWO_INSTANCE_CASES = 60;

/** mulberry32: small, seedable, good enough to pick histories. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p: number) => next() < p,
    pick: <T>(items: T[]): T => items[Math.floor(next() * items.length)],
    shuffle: <T>(items: T[]): T[] => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [items[i], items[j]] = [items[j], items[i]];
      }
      return items;
    },
  };
}
type Rng = ReturnType<typeof rng>;

type HistoryEvent =
  | { kind: 'started' | 'ended'; uuid: string; ts: number }
  | {
      /** waiting: in the waiting room, not the meeting (docs/zoom.md §7). */
      kind: 'joined' | 'left' | 'waiting';
      /** The waiting-room webhook sent, if not participant_joined / participant_left. */
      action?: WaitingRoomAction;
      uuid: string;
      ts: number;
      participant: TestParticipant;
    };

interface Person {
  name: string;
  zoomId?: string;
  email?: string;
}

/**
 * One meeting's history, in the order it happened. event_ts never decreases, and about a third of
 * the steps repeat the previous one: Zoom's event_ts is in milliseconds, so a join and its leave,
 * a join and the meeting end, or two people's events can share one.
 */
function generateHistory(r: Rng, caseId: number): HistoryEvent[] {
  const people: Person[] = [];
  const count = r.int(2, 6);
  for (let i = 0; i < count; i++) {
    const kind = r.pick(['member', 'member', 'email-guest', 'guest']);
    const name = `P${caseId}-${i}`;
    if (kind === 'member')
      people.push({
        name,
        zoomId: `zu-${caseId}-${i}`,
        email: r.chance(0.8) ? `p${i}@Example.com` : undefined,
      });
    else if (kind === 'email-guest') people.push({ name, email: `Guest${i}@Mail.example` });
    else people.push({ name });
  }
  const events: HistoryEvent[] = [];
  let ts = 1_764_000_000_000 + caseId * 10_000_000;
  const tick = () => (ts += r.chance(0.3) ? 0 : r.int(1, 40));
  const occurrences = r.chance(0.4) ? 2 : 1;
  for (let o = 0; o < occurrences; o++) {
    const uuid = `occ-${caseId}-${o}==`;
    let nextUserId = 16778240; // per-join ids restart per occurrence, as Zoom's do (docs/zoom.md §3)
    if (r.chance(0.85)) events.push({ kind: 'started', uuid, ts: tick() });
    // Each person's sessions as a queue of actions, interleaved at random with the others'.
    const queues = people.map((person, index) => {
      const actions: HistoryEvent[] = [];
      const sessions = r.int(0, 3);
      for (let s = 0; s < sessions; s++) {
        const participant: TestParticipant = {
          user_id: String(nextUserId++),
          user_name: r.chance(0.2) ? `${person.name} (renamed ${s})` : person.name,
          id: person.zoomId,
          email: person.email,
          participant_uuid: r.chance(0.7) ? `pu-${caseId}-${o}-${index}-${s}` : undefined,
        };
        const base = { uuid, ts: 0, participant };
        const admit = () => {
          actions.push({ ...base, kind: 'joined', action: 'participant_admitted' });
          // Zoom's participant_joined after an admit (inferred, docs/zoom.md §7): sometimes.
          if (r.chance(0.6)) actions.push({ ...base, kind: 'joined' });
          // And its participant_left_waiting_room (inferred): they left the waiting room, not
          // the meeting.
          if (r.chance(0.5)) {
            actions.push({ ...base, kind: 'left', action: 'participant_left_waiting_room' });
          }
        };
        let inMeeting = true;
        if (r.chance(0.35)) {
          actions.push({ ...base, kind: 'waiting', action: 'participant_joined_waiting_room' });
          inMeeting = r.chance(0.75);
          if (inMeeting) admit();
        } else {
          actions.push({ ...base, kind: 'joined' });
        }
        if (inMeeting && r.chance(0.25)) {
          actions.push({ ...base, kind: 'waiting', action: 'participant_put_in_waiting_room' });
          inMeeting = r.chance(0.6);
          if (inMeeting) admit();
        }
        if (s < sessions - 1 || r.chance(0.6)) {
          actions.push(
            inMeeting
              ? { ...base, kind: 'left' }
              : { ...base, kind: 'left', action: 'participant_left_waiting_room' },
          );
        }
      }
      return actions;
    });
    // Per join, the kind and ts of its previous event. An admit or a put-back never shares a
    // millisecond with the event it follows: no order-free tie rule could tell an admit after
    // an arrival from a put-back after a join (the service lets a waiting-room entry win a tie).
    const previous = new Map<string, { kind: string; ts: number }>();
    for (;;) {
      const open = queues.filter((q) => q.length > 0);
      if (open.length === 0) break;
      const action = r.pick(open).shift() as HistoryEvent;
      let at = tick();
      if ('participant' in action) {
        const key = action.participant.participant_uuid ?? action.participant.user_id;
        const before = previous.get(key);
        // Nor does a put-back share one with an admit's leave of the waiting room: one could
        // not tell the stay it starts from the stay that leave ended.
        const switches =
          before !== undefined &&
          before.kind !== action.kind &&
          action.kind !== 'left' &&
          (before.kind !== 'left' || action.kind === 'waiting');
        if (switches && at === before.ts) at = ts += 1;
        previous.set(key, { kind: action.kind, ts: at });
      }
      events.push({ ...action, ts: at });
    }
    const last = o === occurrences - 1;
    if (r.chance(last ? 0.45 : 0.7)) events.push({ kind: 'ended', uuid, ts: tick() });
  }
  return events;
}

function toBody(meetingId: string, e: HistoryEvent): Record<string, unknown> {
  if (!('participant' in e)) return meetingEvent(e.kind, { meetingId, uuid: e.uuid, ts: e.ts });
  const args = { meetingId, uuid: e.uuid, ts: e.ts, participant: e.participant };
  if (e.action !== undefined) return waitingRoomEvent(e.action, args);
  if (e.kind === 'waiting') throw new Error('a waiting event needs its waiting-room action');
  return participantEvent(e.kind, args);
}

interface RefRecord {
  key: string;
  personKey: string;
  name: string;
  email: string | null;
  zoomId: string | null;
  /** Null for a join known only from the waiting room (never admitted). */
  joinTs: number | null;
  joinTime: string | null;
  leaveTs: number | null;
  leaveTime: string | null;
  status: 'joined' | 'left' | 'waiting';
}

/** The naive model: apply the history in order, no timestamps compared. */
function referencePeople(history: HistoryEvent[]): Array<Record<string, unknown>> {
  const occurrences = new Map<string, Map<string, RefRecord>>();
  let current: string | null = null;
  const occ = (uuid: string) => {
    let records = occurrences.get(uuid);
    if (!records) {
      records = new Map();
      occurrences.set(uuid, records);
      current = uuid; // an occurrence first heard of is the newest one
    }
    return records;
  };
  for (const e of history) {
    const records = occ(e.uuid);
    const time = new Date(e.ts).toISOString();
    if (e.kind === 'ended') {
      for (const rec of records.values()) {
        if (rec.status !== 'left') Object.assign(rec, { status: 'left', leaveTime: time });
      }
    } else if (e.kind === 'joined') {
      const p = e.participant;
      const key = p.participant_uuid ?? p.user_id;
      const email = p.email ?? null;
      records.set(key, {
        key,
        personKey: p.id ?? email?.toLowerCase() ?? key,
        name: p.user_name,
        email,
        zoomId: p.id ?? null,
        joinTs: e.ts,
        joinTime: time,
        leaveTs: null,
        leaveTime: null,
        status: 'joined',
      });
    } else if (e.kind === 'waiting') {
      const p = e.participant;
      const key = p.participant_uuid ?? p.user_id;
      const rec = records.get(key);
      if (rec) rec.status = 'waiting';
      else {
        const email = p.email ?? null;
        records.set(key, {
          key,
          personKey: p.id ?? email?.toLowerCase() ?? key,
          name: p.user_name,
          email,
          zoomId: p.id ?? null,
          joinTs: null,
          joinTime: null,
          leaveTs: null,
          leaveTime: null,
          status: 'waiting',
        });
      }
    } else if (e.kind === 'left') {
      const p = e.participant;
      const rec = records.get(p.participant_uuid ?? p.user_id);
      // Leaving the waiting room ends a stay there, and nothing else (an admitted person stays).
      const endsStay = e.action !== 'participant_left_waiting_room' || rec?.status === 'waiting';
      if (rec && endsStay) Object.assign(rec, { status: 'left', leaveTs: e.ts, leaveTime: time });
    }
  }
  if (current === null) return [];
  const byPerson = new Map<string, RefRecord[]>();
  for (const rec of (occurrences.get(current) as Map<string, RefRecord>).values()) {
    byPerson.set(rec.personKey, [...(byPerson.get(rec.personKey) ?? []), rec]);
  }
  return [...byPerson.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([personKey, recs]) => {
      // Tie rule (people.ts byRecency): equal join ts, the later leave first (an open join has
      // none), then the join key in ascending order; never the order events happened to arrive.
      // A join known only from the waiting room (never admitted) has no join ts: it sorts last.
      const never = Number.NEGATIVE_INFINITY;
      const newest = [...recs].sort(
        (a, b) =>
          (b.joinTs ?? never) - (a.joinTs ?? never) ||
          (b.leaveTs ?? never) - (a.leaveTs ?? never) ||
          (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
      );
      const open = newest.filter((r) => r.status === 'joined');
      const waiting = newest.filter((r) => r.status === 'waiting');
      const basis = open[0] ?? waiting[0] ?? newest[0];
      const email = newest.find((r) => r.email !== null)?.email ?? null;
      const zoomId = newest.find((r) => r.zoomId !== null)?.zoomId ?? null;
      const leaves = newest
        .map((r) => r.leaveTime)
        .filter((t): t is string => t !== null)
        .sort();
      return {
        person_key: personKey,
        name: basis.name,
        email,
        zoom_user_id: zoomId,
        reachable: email !== null,
        status: open.length > 0 ? 'joined' : waiting.length > 0 ? 'waiting' : 'left',
        join_time: basis.joinTime,
        leave_time:
          open.length > 0 || waiting.length > 0 ? null : (leaves[leaves.length - 1] ?? null),
      };
    });
}

function comparable(p: MeetingPerson | Record<string, unknown>): Record<string, unknown> {
  const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : v);
  return {
    person_key: p.person_key,
    name: p.name,
    email: p.email,
    zoom_user_id: p.zoom_user_id,
    reachable: p.reachable,
    status: p.status,
    join_time: iso(p.join_time),
    leave_time: iso(p.leave_time),
  };
}

/** The history delivered as Zoom might: some events two or three times, all shuffled. */
function deliveryOrder(r: Rng, history: HistoryEvent[]): HistoryEvent[] {
  const copies: HistoryEvent[] = [];
  for (const e of history) {
    copies.push(e);
    if (r.chance(0.35)) copies.push(e);
    if (r.chance(0.1)) copies.push(e);
  }
  return r.shuffle(copies);
}

/** Delivers in small concurrent batches, so same-record updates race each other. */
async function deliver(events: HistoryEvent[], r: Rng, send: (e: HistoryEvent) => Promise<void>) {
  for (let i = 0; i < events.length;) {
    const size = r.int(1, 6);
    await Promise.all(events.slice(i, i + size).map(send));
    i += size;
  }
}

describe('participant presence converges under duplicates, reordering and races (e2e)', () => {
  let t: TestApp;
  let participants: ParticipantsService;
  let webhooks: WebhookService;

  beforeAll(async () => {
    t = await createTestApp({ name: 'participants_order' });
    // autoIndex builds the indexes in the background: the first case's concurrent first events
    // must meet the unique join key, or two inserts of one join both land (seen on a fresh server).
    await Promise.all(Object.values(connectionOf(t).models).map((model) => model.init()));
    participants = t.app.get(ParticipantsService);
    webhooks = t.app.get(WebhookService);
  });
  afterAll(async () => t.close());

  /**
   * Cases are independent: dropping each one's records keeps the collections small. The test
   * server (mongo-java-server) uses a unique index only for exact-key lookups, so the reads of an
   * occurrence scan the collection there (real MongoDB serves them from an index).
   */
  async function forget(meetingId: string) {
    const db = connectionOf(t).db;
    if (!db) throw new Error('no database');
    await db.collection('participants').deleteMany({ meeting_id: meetingId });
    await db.collection('meeting_occurrences').deleteMany({ meeting_id: meetingId });
  }

  async function check(meetingId: string, history: HistoryEvent[], seed: number) {
    const expected = referencePeople(history);
    const all = await participants.listPeople(BOOTSTRAP_ADMIN, meetingId, {
      status: 'all',
      limit: 1000,
    });
    const now = await participants.currentPeople(meetingId);
    const context = `seed ${seed}; history:\n${history.map((e) => JSON.stringify(e)).join('\n')}`;
    try {
      expect(all.items.map(comparable)).toEqual(expected);
      expect(now.map(comparable)).toEqual(expected.filter((p) => p.status === 'joined'));
      expect(all.count).toBe(expected.length);
      const waiting = await participants.listPeople(BOOTSTRAP_ADMIN, meetingId, {
        status: 'waiting',
        limit: 1000,
      });
      expect(waiting.items.map(comparable)).toEqual(expected.filter((p) => p.status === 'waiting'));
      expect(waiting.count).toBe(waiting.items.length);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${context}`);
    }
  }

  it(
    `${SERVICE_CASES} random histories through the webhook service and real database`,
    async () => {
      let events = 0;
      let deliveries = 0;
      let deliverMs = 0;
      let checkMs = 0;
      for (let c = 0; c < SERVICE_CASES; c++) {
        const seed = 1000 + c;
        const r = rng(seed);
        const meetingId = String(8_100_000_000 + c);
        const history = generateHistory(r, c);
        const delivered = deliveryOrder(r, history);
        events += history.length;
        deliveries += delivered.length;
        const started = performance.now();
        await deliver(delivered, r, async (e) => {
          await webhooks.handle(toBody(meetingId, e), 'unused-for-events', 'order-test');
        });
        const delivered_at = performance.now();
        await check(meetingId, history, seed);
        deliverMs += delivered_at - started;
        checkMs += performance.now() - delivered_at;
        await forget(meetingId);
      }
      process.stdout.write(
        `\n[participants-order] ${SERVICE_CASES} histories, ${events} events, ${deliveries} deliveries (duplicated + shuffled + concurrent): all converged; ${(deliverMs / deliveries).toFixed(2)} ms per delivery, ${(checkMs / SERVICE_CASES).toFixed(1)} ms per check\n`,
      );
    },
    HANG_BOUND_MS,
  );

  it(
    `${TWO_INSTANCE_CASES} random histories through two app instances on one database`,
    async () => {
      // Each process writes one batch at a time (group commit); a second instance on the same
      // database writes its own batches meanwhile, so here only the database's atomic upserts
      // and its unique index keep the outcome right (docs/architecture.md §16).
      const second = await createTestApp({
        name: 'participants_order_second',
        env: { MONGO_URI: t.config.mongoUri },
      });
      try {
        expect(second.config.mongoUri).toBe(t.config.mongoUri);
        const instances = [webhooks, second.app.get(WebhookService)];
        for (let c = 0; c < TWO_INSTANCE_CASES; c++) {
          const seed = 9000 + c;
          const r = rng(seed);
          const meetingId = String(8_300_000_000 + c);
          const history = generateHistory(r, 20_000 + c);
          await deliver(deliveryOrder(r, history), r, async (e) => {
            await r.pick(instances).handle(toBody(meetingId, e), 'unused-for-events', 'two-apps');
          });
          await check(meetingId, history, seed);
          await forget(meetingId);
        }
      } finally {
        await second.close();
      }
    },
    HANG_BOUND_MS,
  );

  it(`${HTTP_CASES} random histories over HTTP with signatures`, async () => {
    for (let c = 0; c < HTTP_CASES; c++) {
      const seed = 5000 + c;
      const r = rng(seed);
      const meetingId = String(8_200_000_000 + c);
      const history = generateHistory(r, 10_000 + c);
      await deliver(deliveryOrder(r, history), r, async (e) => {
        const res = await postWebhook(t.url, JSON.stringify(toBody(meetingId, e)));
        expect(res.status).toBe(200);
      });
      await check(meetingId, history, seed);
      const api = await fetch(
        `${t.url}/api/meetings/${meetingId}/participants?status=all&limit=1000`,
        {
          headers: { 'X-API-Key': TEST_API_KEY },
        },
      );
      const body = (await api.json()) as { items: Array<Record<string, unknown>> };
      expect(body.items.map(comparable)).toEqual(referencePeople(history));
    }
  }, 360_000);
});
