import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { FilterQuery, Model, mongo } from 'mongoose';
import { bulkUpsert, writeErrorsOf } from '../database/bulk-upsert';
import {
  ParticipantEvent,
  ParticipantIdentity,
  participantKey,
  personKey,
} from './participant-events';
import { ParticipantView, presenceOf, withPresence } from './presence';
import { Participant, type ParticipantStatus } from './schemas/participant.schema';

/**
 * Identity fields from any join outrank those from a leave or a snapshot: a join carries the
 * fullest participant object. Ranks stay below 2^53 for event_ts values until the year 2286.
 */
const JOIN_RANK_OFFSET = 1e13;

/** Join records whose identity rank this process knows a lower bound of (see knownRanks). */
const KNOWN_RANKS_LIMIT = 50_000;

export interface JoinKey {
  meeting_id: string;
  meeting_uuid: string;
  participant_key: string;
}

export type ParticipantRecord = ParticipantView;
export type ParticipantIdentityKeys = Pick<Participant, 'zoom_user_id' | 'person_key'>;

/** Which fact of a join each event kind is: the field it takes the newest ts of. */
const TS_FIELD = {
  joined: 'join_ts',
  left: 'leave_ts',
  waiting: 'waiting_ts',
  waiting_left: 'waiting_left_ts',
} as const;

/** The Zoom time an event kind carries, kept beside its ts field. */
const TIME_FIELD = { joined: 'join_time', left: 'leave_time' } as const;

type IdentityFields = ReturnType<ParticipantsRepository['identityFields']>;

/** One event's write: the upsert of its facts, and its identity for a record that has a worse one. */
interface EventWrite {
  id: string;
  where: JoinKey;
  identity: IdentityFields;
  upsert: mongo.AnyBulkWriteOperation<Participant>;
}

/**
 * Order-independent writes of join records (docs/architecture.md §9, §16). Every event is one
 * upsert whose filter is exactly the unique key and whose update only takes maximums ($max of
 * its ts and its Zoom time) and fills a new record ($setOnInsert), so it needs no condition,
 * repeats harmlessly, commutes with every other event's, and never meets a write conflict between
 * instances; presence is derived from those facts when read (presence.ts). The one conditional
 * write left is the identity of an existing record, replaced only by a better-ranked event's.
 */
@Injectable()
export class ParticipantsRepository {
  /**
   * Per join record: an identity rank its stored identity_rank is known to be at least (this
   * process wrote or saw it written; ranks only grow). An event ranked no higher cannot improve
   * the identity, so its conditional identity write is skipped. Safe to lose; bounded.
   */
  private readonly knownRanks = new Map<string, number>();

  constructor(@InjectModel(Participant.name) private readonly participants: Model<Participant>) {}

  /**
   * Applies participant_joined / _left / waiting-room events, all in one bulk write (one command;
   * a second only for identities to improve). Answers per event null (durable, or an event with
   * no join key, which touches nothing) or the error its write met.
   */
  async applyEvents(events: ParticipantEvent[]): Promise<unknown[]> {
    const outcomes: unknown[] = events.map(() => null);
    const writes: Array<{ at: number; write: EventWrite }> = [];
    events.forEach((event, at) => {
      const write = this.eventWrite(event);
      if (write) writes.push({ at, write });
    });
    if (writes.length === 0) return outcomes;

    const upserted = await bulkUpsert(
      this.participants.collection as unknown as mongo.Collection<Participant>,
      writes.map((w) => w.write.upsert),
    );
    const improve: Array<{ at: number; write: EventWrite }> = [];
    writes.forEach((w, i) => {
      const error = upserted.errors.get(i);
      if (error !== undefined) outcomes[w.at] = error;
      else if (upserted.inserted.has(i)) this.noteRank(w.write.id, w.write.identity.identity_rank);
      else if ((this.knownRanks.get(w.write.id) ?? -1) < w.write.identity.identity_rank) {
        improve.push(w);
      }
    });
    if (improve.length > 0) {
      const improved = await this.improveIdentities(improve.map((w) => w.write));
      improve.forEach((w, i) => {
        const error = improved.get(i);
        if (error !== undefined) outcomes[w.at] = error;
        else this.noteRank(w.write.id, w.write.identity.identity_rank);
      });
    }
    return outcomes;
  }

  /**
   * A leave at `ts` for a join the sync found missing from Zoom's list: its facts only, on a
   * record that exists (no identity to create one with).
   */
  async applyLeave(where: JoinKey, ts: number, leaveTime: Date): Promise<void> {
    await this.participants.collection.updateOne(where, {
      $max: { leave_ts: ts, leave_time: leaveTime, last_event_ts: ts },
      $set: { updated_at: new Date() },
    });
  }

  /** Forgets what this process knew of stored records (after records were deleted). */
  forgetKnownRanks(): void {
    this.knownRanks.clear();
  }

  private eventWrite(event: ParticipantEvent): EventWrite | null {
    const key = participantKey(event.participant);
    if (key === null) return null;
    const where: JoinKey = {
      meeting_id: event.meetingId,
      meeting_uuid: event.meetingUuid,
      participant_key: key,
    };
    const rank = event.kind === 'joined' ? JOIN_RANK_OFFSET + event.ts : event.ts;
    const identity = this.identityFields(event.participant, key, rank);
    const tsField = TS_FIELD[event.kind];
    const timeField =
      event.kind === 'joined' || event.kind === 'left' ? TIME_FIELD[event.kind] : null;
    const now = new Date();
    const newest: Record<string, number | Date> = { [tsField]: event.ts, last_event_ts: event.ts };
    if (timeField !== null && event.time !== null) newest[timeField] = event.time;
    // A new record starts with this event's identity and no other fact.
    const fresh: Record<string, unknown> = { ...identity, created_at: now };
    for (const field of Object.values(TS_FIELD)) if (!(field in newest)) fresh[field] = null;
    for (const field of Object.values(TIME_FIELD)) if (!(field in newest)) fresh[field] = null;
    return {
      id: `${where.meeting_id}\u0000${where.meeting_uuid}\u0000${key}`,
      where,
      identity,
      upsert: {
        updateOne: {
          filter: where,
          update: { $max: newest, $setOnInsert: fresh, $set: { updated_at: now } },
          upsert: true,
        },
      },
    };
  }

  /**
   * Identity fields come from the best event (any join outranks a leave, then the newest): an
   * event ranked above the stored identity replaces it, atomically by the rank condition, so two
   * instances improving one record at once keep the better. One command for the batch; answers
   * per write (by index) the error it met.
   */
  private async improveIdentities(writes: EventWrite[]): Promise<Map<number, unknown>> {
    const errors = new Map<number, unknown>();
    try {
      await this.participants.collection.bulkWrite(
        writes.map((w) => ({
          updateOne: {
            filter: { ...w.where, identity_rank: { $lt: w.identity.identity_rank } },
            update: { $set: w.identity },
          },
        })),
        { ordered: false },
      );
    } catch (error: unknown) {
      if (!(error instanceof mongo.MongoBulkWriteError)) throw error;
      for (const writeError of writeErrorsOf(error)) errors.set(writeError.index, error);
    }
    return errors;
  }

  private noteRank(id: string, rank: number): void {
    if ((this.knownRanks.get(id) ?? -1) >= rank) return;
    this.knownRanks.delete(id);
    if (this.knownRanks.size >= KNOWN_RANKS_LIMIT) {
      // The oldest entry goes (a Map iterates in insertion order).
      const oldest = this.knownRanks.keys().next();
      if (!oldest.done) this.knownRanks.delete(oldest.value);
    }
    this.knownRanks.set(id, rank);
  }

  /**
   * Joins of one occurrence, grouped by person: sorted by person_key, newest join first, each with
   * its presence (`endedTs`: the occurrence's meeting end). `joinedOnly`: only joins in the
   * meeting now.
   */
  async *streamByPerson(
    occurrence: { meeting_id: string; meeting_uuid: string },
    options: { joinedOnly: boolean; afterPersonKey: string | null; endedTs: number | null },
  ): AsyncGenerator<ParticipantRecord> {
    const filter: FilterQuery<Participant> = { ...occurrence };
    if (options.afterPersonKey !== null) filter.person_key = { $gt: options.afterPersonKey };
    const records = this.participants
      .find(filter)
      .sort({ person_key: 1, join_ts: -1, participant_key: 1 })
      .lean<Participant>()
      .cursor({ batchSize: 500 });
    for await (const record of records) {
      const view = withPresence(record, options.endedTs);
      if (!options.joinedOnly || view.status === 'joined') yield view;
    }
  }

  /** Distinct people with at least one join in `status` (null: any). */
  async countPeople(
    occurrence: { meeting_id: string; meeting_uuid: string },
    status: ParticipantStatus | null,
    endedTs: number | null,
  ): Promise<number> {
    return (await this.personKeysWithStatus(occurrence, status, endedTs)).length;
  }

  async personKeysWithStatus(
    occurrence: { meeting_id: string; meeting_uuid: string },
    status: ParticipantStatus | null,
    endedTs: number | null,
  ): Promise<string[]> {
    const keys = new Set<string>();
    for (const record of await this.presenceFacts(occurrence)) {
      if (status === null || presenceOf(record, endedTs) === status) keys.add(record.person_key);
    }
    return [...keys];
  }

  async isPersonJoined(
    occurrence: { meeting_id: string; meeting_uuid: string },
    personKeyValue: string,
    endedTs: number | null,
  ): Promise<boolean> {
    const records = await this.presenceFacts({ ...occurrence, person_key: personKeyValue });
    return records.some((r) => presenceOf(r, endedTs) === 'joined');
  }

  async joinedPersonKeys(
    occurrence: { meeting_id: string; meeting_uuid: string },
    endedTs: number | null,
  ): Promise<string[]> {
    return this.personKeysWithStatus(occurrence, 'joined', endedTs);
  }

  /** Every join of an occurrence with its presence (the sync compares them with Zoom's list). */
  async findByOccurrence(
    occurrence: { meeting_id: string; meeting_uuid: string },
    endedTs: number | null,
  ): Promise<ParticipantRecord[]> {
    const records = await this.participants.find(occurrence).lean<Participant[]>().exec();
    return records.map((r) => withPresence(r, endedTs));
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

  /** The facts presence is derived from, and the person, of the joins `filter` selects. */
  private presenceFacts(filter: FilterQuery<Participant>) {
    return this.participants
      .find(filter, {
        person_key: 1,
        join_ts: 1,
        leave_ts: 1,
        waiting_ts: 1,
        waiting_left_ts: 1,
      })
      .lean<
        Array<
          Pick<
            Participant,
            'person_key' | 'join_ts' | 'leave_ts' | 'waiting_ts' | 'waiting_left_ts'
          >
        >
      >()
      .exec();
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
}
