import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, mongo } from 'mongoose';
import { bulkUpsert } from '../database/bulk-upsert';
import { MeetingKind, OccurrenceEvent } from './participant-events';
import { MeetingOccurrence } from './schemas/meeting-occurrence.schema';

export type OccurrenceRecord = MeetingOccurrence;

/** A participant event of this occurrence at `ts`, or a meeting.started / ended. */
export type OccurrenceWrite =
  | { kind: 'touch'; meetingId: string; meetingUuid: string; meetingKind: MeetingKind; ts: number }
  | OccurrenceEvent;

/**
 * The upsert of one occurrence write: filter exactly the unique key, commutative operators for
 * the event times; `updated_at` on every write (retention keeps an occurrence an event touched).
 */
function occurrenceUpsert(
  item: OccurrenceWrite,
  now: Date,
): mongo.AnyBulkWriteOperation<MeetingOccurrence> {
  const filter = { meeting_id: item.meetingId, uuid: item.meetingUuid };
  let update: Record<string, Record<string, unknown>>;
  if (item.kind === 'touch') {
    update = {
      $min: { first_event_ts: item.ts },
      $set: { updated_at: now },
      $setOnInsert: {
        kind: item.meetingKind,
        topic: null,
        host_id: null,
        start_time: null,
        end_time: null,
        started_ts: null,
        ended_ts: null,
        created_at: now,
      },
    };
  } else if (item.kind === 'started') {
    update = {
      $min: { first_event_ts: item.ts },
      $max: { started_ts: item.ts },
      // The started event is the authority on these; an ended event only fills them in.
      $set: {
        kind: item.meetingKind,
        topic: item.topic,
        host_id: item.hostId,
        start_time: item.startTime,
        updated_at: now,
      },
      $setOnInsert: { end_time: null, ended_ts: null, created_at: now },
    };
  } else {
    update = {
      $min: { first_event_ts: item.ts },
      $max: { ended_ts: item.ts, ...(item.endTime ? { end_time: item.endTime } : {}) },
      $set: { updated_at: now },
      $setOnInsert: {
        kind: item.meetingKind,
        topic: item.topic,
        host_id: item.hostId,
        start_time: item.startTime,
        started_ts: null,
        ...(item.endTime ? {} : { end_time: null }),
        created_at: now,
      },
    };
  }
  return { updateOne: { filter, update, upsert: true } };
}

/** Meeting occurrences (`object.uuid`), written with commutative operators only ($min/$max). */
@Injectable()
export class OccurrencesRepository {
  constructor(
    @InjectModel(MeetingOccurrence.name) private readonly occurrences: Model<MeetingOccurrence>,
  ) {}

  /**
   * One bulk write (one command) for a batch: each occurrence a participant event of the batch
   * touched (its `first_event_ts` is a `$min` over every event of the occurrence, so a batch's
   * touches of one occurrence are one operation) and each meeting.started / ended. Answers per
   * item null (durable) or the error its write met.
   */
  async applyEvents(items: OccurrenceWrite[]): Promise<unknown[]> {
    const writes: OccurrenceWrite[] = [];
    const writeOf: number[] = [];
    const touchOf = new Map<string, number>();
    items.forEach((item, at) => {
      if (item.kind === 'touch') {
        const id = `${item.meetingId}\u0000${item.meetingUuid}`;
        const earlier = touchOf.get(id);
        if (earlier !== undefined) {
          const first = writes[earlier];
          writes[earlier] = { ...item, ts: Math.min(first.ts, item.ts) };
          writeOf[at] = earlier;
          return;
        }
        touchOf.set(id, writes.length);
      }
      writeOf[at] = writes.length;
      writes.push(item);
    });
    const now = new Date();
    const { errors } = await bulkUpsert(
      this.occurrences.collection as unknown as mongo.Collection<MeetingOccurrence>,
      writes.map((w) => occurrenceUpsert(w, now)),
    );
    return items.map((_, at) => errors.get(writeOf[at]) ?? null);
  }

  /** The occurrence whose first event is the latest: the one running now, or the last one. */
  async current(meetingId: string): Promise<OccurrenceRecord | null> {
    return this.occurrences
      .findOne({ meeting_id: meetingId })
      .sort({ first_event_ts: -1, uuid: -1 })
      .lean<OccurrenceRecord>()
      .exec();
  }

  /**
   * The current occurrence of each of the `limit` meetings heard from most recently (GET
   * /api/meetings), newest first. Reads a few occurrences more than asked, since one meeting's
   * recurring occurrences may follow each other.
   */
  async recentCurrent(limit: number): Promise<OccurrenceRecord[]> {
    const rows = await this.occurrences
      .find({})
      .sort({ first_event_ts: -1, uuid: -1 })
      .limit(limit * 4)
      .lean<OccurrenceRecord[]>()
      .exec();
    const seen = new Set<string>();
    const current: OccurrenceRecord[] = [];
    for (const row of rows) {
      if (seen.has(row.meeting_id)) continue;
      seen.add(row.meeting_id);
      current.push(row);
      if (current.length === limit) break;
    }
    return current;
  }

  /** Every occurrence of these meetings, oldest first (a course's records). */
  async listForMeetings(meetingIds: string[]): Promise<OccurrenceRecord[]> {
    return this.occurrences
      .find({ meeting_id: { $in: meetingIds } })
      .sort({ first_event_ts: 1, uuid: 1 })
      .lean<OccurrenceRecord[]>()
      .exec();
  }

  async find(meetingId: string, uuid: string): Promise<OccurrenceRecord | null> {
    return this.occurrences
      .findOne({ meeting_id: meetingId, uuid })
      .lean<OccurrenceRecord>()
      .exec();
  }

  /**
   * The meeting number of an occurrence uuid already stored, for an event that left `object.id`
   * out (docs/zoom.md §3). Occurrence uuids are unique across meetings (docs/zoom.md §3).
   */
  async meetingIdOf(uuid: string): Promise<string | null> {
    const found = await this.occurrences
      .findOne({ uuid }, { meeting_id: 1 })
      .lean<Pick<OccurrenceRecord, 'meeting_id'>>()
      .exec();
    return found?.meeting_id ?? null;
  }

  /** Occurrences no event has touched since before `cutoff`, oldest first (retention). */
  async idleBefore(cutoff: Date, limit: number): Promise<OccurrenceRecord[]> {
    return this.occurrences
      .find({ updated_at: { $lt: cutoff } })
      .sort({ updated_at: 1 })
      .limit(limit)
      .lean<OccurrenceRecord[]>()
      .exec();
  }

  /** Deletes an occurrence unless an event touched it since `cutoff`. */
  async deleteIfIdle(meetingId: string, uuid: string, cutoff: Date): Promise<number> {
    const result = await this.occurrences
      .deleteOne({ meeting_id: meetingId, uuid, updated_at: { $lt: cutoff } })
      .exec();
    return result.deletedCount;
  }
}
