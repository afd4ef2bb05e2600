import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { FilterQuery, Model } from 'mongoose';
import {
  PerKeySerializer,
  retryTestServerCodelessError,
  unsetOrAtMost,
  unsetOrBelow,
} from '../database/test-server-workarounds';
import {
  ParticipantEvent,
  ParticipantIdentity,
  participantKey,
  personKey,
} from './participant-events';
import { Participant, type ParticipantStatus } from './schemas/participant.schema';

/**
 * Identity fields from any join outrank those from a leave or a snapshot: a join carries the
 * fullest participant object. Ranks stay below 2^53 for event_ts values until the year 2286.
 */
const JOIN_RANK_OFFSET = 1e13;

const DUPLICATE_KEY = 11000;

export interface JoinKey {
  meeting_id: string;
  meeting_uuid: string;
  participant_key: string;
}

export type ParticipantRecord = Participant;
export type ParticipantIdentityKeys = Pick<Participant, 'zoom_user_id' | 'person_key'>;

interface UpdateOutcome {
  outcome: 'inserted' | 'matched' | 'missed';
  /** identity_rank before the update, when a record matched. */
  previousRank: number | null;
}

/** The record's `field` is unset or older than ts (a missing ts counts as minus infinity). */
const olderThan = (field: keyof Participant, ts: number): FilterQuery<Participant> =>
  unsetOrBelow(field, ts);
/** The record's `field` is unset or not after ts. */
const notAfter = (field: keyof Participant, ts: number): FilterQuery<Participant> =>
  unsetOrAtMost(field, ts);

function isDuplicateKey(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { code?: unknown }).code === DUPLICATE_KEY
  );
}

/**
 * Atomic, order-independent writes of join records. Each event is one or two single-document
 * updates whose filters say "only if this event is newer than what the record has applied" and
 * which keep `status = left iff max(leave_ts, ended_ts) >= join_ts`. Concurrent webhooks for one
 * join therefore never lose an update (no read-modify-write), duplicates match nothing, and any
 * permutation of the same events converges (docs/zoom.md §3: at-least-once, unordered delivery).
 */
@Injectable()
export class ParticipantsRepository {
  /** Writes to one join record from this process, one at a time (see `serialized`). */
  private readonly perRecord = new PerKeySerializer();

  constructor(@InjectModel(Participant.name) private readonly participants: Model<Participant>) {}

  /** Applies a participant_joined / participant_left. Returns the join key it touched, or null. */
  async apply(event: ParticipantEvent): Promise<JoinKey | null> {
    const key = participantKey(event.participant);
    if (key === null) return null;
    const where: JoinKey = {
      meeting_id: event.meetingId,
      meeting_uuid: event.meetingUuid,
      participant_key: key,
    };
    await this.serialized(where, () =>
      event.kind === 'joined'
        ? this.applyJoin(where, event)
        : event.kind === 'waiting'
          ? this.applyWaiting(where, event)
          : event.kind === 'waiting_left'
            ? this.applyWaitingLeft(where, event)
            : this.leave(where, event.ts, event.time, event.participant),
    );
    return where;
  }

  /**
   * Runs writes to one join record from this process one at a time. Zoom's retries and
   * duplicates often arrive together; taken in turn they settle by the conditions alone instead
   * of racing to the unique index. Correctness never depends on it (the conditional writes stay
   * atomic across instances); the test server needs it (PerKeySerializer).
   */
  private serialized(where: JoinKey, work: () => Promise<void>): Promise<void> {
    const id = `${where.meeting_id}\u0000${where.meeting_uuid}\u0000${where.participant_key}`;
    return this.perRecord.run(id, work);
  }

  /**
   * A join applies if newer than the record's join. It reopens the record (status joined) only
   * if it is also newer than the record's leave, waiting-room entry and meeting end; otherwise it
   * updates the join fields and the status stays (a left, end or waiting room that came after).
   */
  private async applyJoin(where: JoinKey, event: ParticipantEvent): Promise<void> {
    const ts = event.ts;
    const identity = this.identityFields(
      event.participant,
      where.participant_key,
      JOIN_RANK_OFFSET + ts,
    );
    const joinFields = { join_ts: ts, join_time: event.time, ...identity };
    const reopen = {
      filter: {
        ...where,
        ...olderThan('join_ts', ts),
        ...olderThan('leave_ts', ts),
        ...olderThan('ended_ts', ts),
        ...olderThan('waiting_ts', ts),
      },
      update: {
        $set: { ...joinFields, status: 'joined' },
        $max: { last_event_ts: ts },
        $setOnInsert: { leave_ts: null, leave_time: null, ended_ts: null, waiting_ts: null },
      },
    };
    if ((await this.upsertOrMatch(reopen.filter, reopen.update)).outcome !== 'missed') return;
    await this.participants
      .updateOne(
        {
          ...where,
          ...olderThan('join_ts', ts),
          $or: [
            { leave_ts: { $gte: ts } },
            { ended_ts: { $gte: ts } },
            { waiting_ts: { $gte: ts } },
          ],
        },
        { $set: joinFields, $max: { last_event_ts: ts } },
      )
      .exec();
  }

  /**
   * A waiting-room entry (docs/zoom.md §7) applies if newer than the record's last one. It makes
   * the record `waiting` only if not older than its join (an admit that came first stays older)
   * and newer than its leave and meeting end; `left` instead when a participant_left_waiting_room
   * not older than it came first; otherwise it only notes its ts. Its identity ranks like a
   * leave's: below any join's.
   */
  private async applyWaiting(where: JoinKey, event: ParticipantEvent): Promise<void> {
    const ts = event.ts;
    const identity = this.identityFields(event.participant, where.participant_key, ts);
    const latest = {
      ...where,
      ...olderThan('waiting_ts', ts),
      ...notAfter('join_ts', ts),
      ...olderThan('leave_ts', ts),
      ...olderThan('ended_ts', ts),
    };
    const enter = {
      filter: { ...latest, ...olderThan('waiting_left_ts', ts) },
      update: {
        $set: { waiting_ts: ts, status: 'waiting' },
        $max: { last_event_ts: ts },
        $setOnInsert: {
          ...identity,
          join_ts: null,
          join_time: null,
          leave_ts: null,
          leave_time: null,
          ended_ts: null,
          waiting_left_ts: null,
        },
      },
    };
    let { outcome, previousRank } = await this.upsertOrMatch(enter.filter, enter.update);
    if (outcome === 'missed') {
      // The newest state, but its end (a leave of the waiting room as new or newer) is here.
      ({ outcome, previousRank } = await this.match(
        { ...latest, waiting_left_ts: { $gte: ts } },
        { $set: { waiting_ts: ts, status: 'left' }, $max: { last_event_ts: ts } },
      ));
    }
    if (outcome === 'missed') {
      await this.participants
        .updateOne(
          {
            ...where,
            ...olderThan('waiting_ts', ts),
            $or: [{ join_ts: { $gt: ts } }, { leave_ts: { $gte: ts } }, { ended_ts: { $gte: ts } }],
          },
          { $set: { waiting_ts: ts }, $max: { last_event_ts: ts } },
        )
        .exec();
      return;
    }
    if (outcome === 'matched' && (previousRank ?? 0) < identity.identity_rank) {
      await this.participants
        .updateOne({ ...where, identity_rank: { $lt: identity.identity_rank } }, { $set: identity })
        .exec();
    }
  }

  /**
   * participant_left_waiting_room (docs/zoom.md §7) ends a waiting-room stay and nothing else:
   * it closes the record only while its newest state is the waiting room (status `waiting`) with
   * an entry not newer than this event. A person admitted meanwhile stays in the meeting, in
   * whatever order the admit and this event arrive: the event never sets leave_ts, so a join it
   * did not see still reopens the record. Its ts is kept ($max) for a waiting-room entry that
   * arrives after it (applyWaiting). A first event creates the record, left, like a leave.
   */
  private async applyWaitingLeft(where: JoinKey, event: ParticipantEvent): Promise<void> {
    const ts = event.ts;
    const identity = this.identityFields(event.participant, where.participant_key, ts);
    const { outcome, previousRank } = await this.upsertOrMatch(
      { ...where, ...olderThan('waiting_left_ts', ts) },
      {
        $set: { waiting_left_ts: ts },
        $max: { last_event_ts: ts },
        $setOnInsert: {
          ...identity,
          status: 'left',
          join_ts: null,
          join_time: null,
          leave_ts: null,
          leave_time: null,
          waiting_ts: null,
          ended_ts: null,
        },
      },
    );
    await this.participants
      .updateOne(
        { ...where, status: 'waiting', ...notAfter('waiting_ts', ts) },
        { $set: { status: 'left' } },
      )
      .exec();
    if (outcome === 'matched' && (previousRank ?? 0) < identity.identity_rank) {
      await this.participants
        .updateOne({ ...where, identity_rank: { $lt: identity.identity_rank } }, { $set: identity })
        .exec();
    }
  }

  /**
   * A leave applies if newer than the record's leave. It closes the record only if it is not
   * older than the record's join or waiting-room entry (a late leave of an earlier join never
   * removes a later one).
   * `identity` is null for a sync closing a join the snapshot no longer lists.
   */
  async applyLeave(
    where: JoinKey,
    ts: number,
    leaveTime: Date | null,
    identity: ParticipantIdentity | null,
  ): Promise<void> {
    await this.serialized(where, () => this.leave(where, ts, leaveTime, identity));
  }

  private async leave(
    where: JoinKey,
    ts: number,
    leaveTime: Date | null,
    identity: ParticipantIdentity | null,
  ): Promise<void> {
    const identityFields = identity
      ? this.identityFields(identity, where.participant_key, ts)
      : null;
    const close = {
      filter: {
        ...where,
        ...olderThan('leave_ts', ts),
        ...notAfter('join_ts', ts),
        ...notAfter('waiting_ts', ts),
      },
      update: {
        $set: { leave_ts: ts, leave_time: leaveTime, status: 'left' },
        $max: { last_event_ts: ts },
        // A leave before its join (or with the join missed) creates the record, already left.
        ...(identityFields
          ? {
              $setOnInsert: {
                ...identityFields,
                join_ts: null,
                join_time: null,
                ended_ts: null,
                waiting_ts: null,
              },
            }
          : {}),
      },
    };
    const { outcome, previousRank } = identityFields
      ? await this.upsertOrMatch(close.filter, close.update)
      : await this.match(close.filter, close.update);
    if (outcome === 'missed') {
      // Not older than the record's join (else the stale leave only notes its time); a join
      // always outranks a leave's identity, so nothing more to do on this path.
      await this.participants
        .updateOne(
          {
            ...where,
            ...olderThan('leave_ts', ts),
            $or: [{ join_ts: { $gt: ts } }, { waiting_ts: { $gt: ts } }],
          },
          { $set: { leave_ts: ts, leave_time: leaveTime }, $max: { last_event_ts: ts } },
        )
        .exec();
      return;
    }
    if (
      outcome === 'matched' &&
      identityFields &&
      (previousRank ?? 0) < identityFields.identity_rank
    ) {
      // The record may know this person only from an older leave: the newer leave's identity
      // wins, and the rank condition keeps a join's (or a newer leave's) identity in place.
      await this.participants
        .updateOne(
          { ...where, identity_rank: { $lt: identityFields.identity_rank } },
          { $set: identityFields },
        )
        .exec();
    }
  }

  /**
   * meeting.ended for one occurrence (or for one join of it, when the join's event was processed
   * after the end): joins not newer than the end become left; later joins only record the end.
   */
  async applyEnded(
    scope: { meeting_id: string; meeting_uuid: string; participant_key?: string },
    ts: number,
  ): Promise<void> {
    await this.participants
      .updateMany(
        {
          ...scope,
          ...olderThan('ended_ts', ts),
          ...notAfter('join_ts', ts),
          ...notAfter('waiting_ts', ts),
        },
        { $set: { ended_ts: ts, status: 'left' }, $max: { last_event_ts: ts } },
      )
      .exec();
    await this.participants
      .updateMany(
        {
          ...scope,
          ...olderThan('ended_ts', ts),
          $or: [{ join_ts: { $gt: ts } }, { waiting_ts: { $gt: ts } }],
        },
        { $set: { ended_ts: ts }, $max: { last_event_ts: ts } },
      )
      .exec();
  }

  /** Joins of one occurrence, grouped by person: sorted by person_key, newest join first. */
  streamByPerson(
    occurrence: { meeting_id: string; meeting_uuid: string },
    options: { joinedOnly: boolean; afterPersonKey: string | null },
  ): AsyncIterable<ParticipantRecord> {
    const filter: FilterQuery<Participant> = { ...occurrence };
    if (options.joinedOnly) filter.status = 'joined';
    if (options.afterPersonKey !== null) filter.person_key = { $gt: options.afterPersonKey };
    return this.participants
      .find(filter)
      .sort({ person_key: 1, join_ts: -1, participant_key: 1 })
      .lean<ParticipantRecord>()
      .cursor({ batchSize: 500 });
  }

  /** Distinct people with at least one join in `status` (null: any). */
  async countPeople(
    occurrence: { meeting_id: string; meeting_uuid: string },
    status: ParticipantStatus | null,
  ): Promise<number> {
    return (await this.personKeysWithStatus(occurrence, status)).length;
  }

  async personKeysWithStatus(
    occurrence: { meeting_id: string; meeting_uuid: string },
    status: ParticipantStatus | null,
  ): Promise<string[]> {
    const filter: FilterQuery<Participant> = { ...occurrence };
    if (status !== null) filter.status = status;
    const keys = await this.participants.distinct('person_key', filter).exec();
    return keys.map(String);
  }

  async isPersonJoined(
    occurrence: { meeting_id: string; meeting_uuid: string },
    personKeyValue: string,
  ): Promise<boolean> {
    const found = await this.participants
      .exists({ ...occurrence, status: 'joined', person_key: personKeyValue })
      .exec();
    return found !== null;
  }

  async joinedPersonKeys(occurrence: {
    meeting_id: string;
    meeting_uuid: string;
  }): Promise<string[]> {
    const keys = await this.participants
      .distinct('person_key', { ...occurrence, status: 'joined' })
      .exec();
    return keys.map(String);
  }

  /** Every join of an occurrence (the sync compares them with Zoom's list). */
  async findByOccurrence(occurrence: {
    meeting_id: string;
    meeting_uuid: string;
  }): Promise<ParticipantRecord[]> {
    return this.participants.find(occurrence).lean<ParticipantRecord[]>().exec();
  }

  /** Every join of an occurrence (retention). */
  async deleteOccurrence(occurrence: { meeting_id: string; meeting_uuid: string }) {
    const result = await this.participants.deleteMany(occurrence).exec();
    return result.deletedCount;
  }

  /** Joins given with this email (any case): who the person is to Zoom. */
  async identitiesWithEmail(email: RegExp): Promise<ParticipantIdentityKeys[]> {
    return this.participants
      .find({ email }, { zoom_user_id: 1, person_key: 1 })
      .lean<ParticipantIdentityKeys[]>()
      .exec();
  }

  /** Every join of one person: by email, Zoom user id or person key. */
  async deletePerson(email: RegExp, zoomUserIds: string[], personKeys: string[]) {
    const result = await this.participants
      .deleteMany({
        $or: [
          { email },
          { zoom_user_id: { $in: zoomUserIds } },
          { person_key: { $in: personKeys } },
        ],
      })
      .exec();
    return result.deletedCount;
  }

  private identityFields(p: ParticipantIdentity, joinKey: string, rank: number) {
    return {
      user_id: p.user_id,
      participant_uuid: p.participant_uuid,
      zoom_user_id: p.zoom_user_id,
      name: p.name,
      email: p.email,
      person_key: personKey(p, joinKey),
      raw_data: p.raw_data,
      identity_rank: rank,
    };
  }

  /**
   * Conditional upsert: inserts the first event of a join, updates in place when the condition
   * holds. When the record exists but the condition does not hold, the upsert collides on the
   * unique key (11000, as on real MongoDB); so does a concurrent first insert. Both are settled by
   * the same update without upsert. Returns the record's identity_rank from before the update.
   */
  private async upsertOrMatch(
    filter: FilterQuery<Participant>,
    update: Record<string, unknown>,
  ): Promise<UpdateOutcome> {
    try {
      // Repeating the conditional upsert is safe: its conditions make it idempotent.
      const before = await retryTestServerCodelessError(() =>
        this.participants
          .findOneAndUpdate(filter, update, {
            upsert: true,
            new: false,
            projection: { identity_rank: 1 },
          })
          .lean<Pick<Participant, 'identity_rank'>>()
          .exec(),
      );
      return before
        ? { outcome: 'matched', previousRank: before.identity_rank }
        : { outcome: 'inserted', previousRank: null };
    } catch (error: unknown) {
      if (!isDuplicateKey(error)) throw error;
    }
    return this.match(filter, update);
  }

  private async match(
    filter: FilterQuery<Participant>,
    update: Record<string, unknown>,
  ): Promise<UpdateOutcome> {
    const before = await this.participants
      .findOneAndUpdate(filter, update, { new: false, projection: { identity_rank: 1 } })
      .lean<Pick<Participant, 'identity_rank'>>()
      .exec();
    return before
      ? { outcome: 'matched', previousRank: before.identity_rank }
      : { outcome: 'missed', previousRank: null };
  }
}
