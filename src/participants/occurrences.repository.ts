import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { MeetingKind, OccurrenceEvent } from './participant-events';
import { MeetingOccurrence } from './schemas/meeting-occurrence.schema';
import { retryTestServerCodelessError } from '../database/test-server-workarounds';

export type OccurrenceRecord = MeetingOccurrence;

const DUPLICATE_KEY = 11000;

/** Meeting occurrences (`object.uuid`), written with commutative operators only ($min/$max). */
@Injectable()
export class OccurrencesRepository {
  constructor(
    @InjectModel(MeetingOccurrence.name) private readonly occurrences: Model<MeetingOccurrence>,
  ) {}

  /**
   * Notes that an event of this occurrence happened at `ts` and returns the occurrence as it is
   * now (its ended_ts tells the caller whether a meeting end must be applied to a new join).
   */
  async touch(
    meetingId: string,
    uuid: string,
    kind: MeetingKind,
    ts: number,
  ): Promise<OccurrenceRecord> {
    return this.upsert(meetingId, uuid, {
      $min: { first_event_ts: ts },
      $setOnInsert: { kind },
    });
  }

  /** meeting.started / meeting.ended (and the webinar twins). */
  async record(event: OccurrenceEvent): Promise<OccurrenceRecord> {
    if (event.kind === 'started') {
      return this.upsert(event.meetingId, event.meetingUuid, {
        $min: { first_event_ts: event.ts },
        $max: { started_ts: event.ts },
        // The started event is the authority on these; an ended event only fills them in.
        $set: {
          kind: event.meetingKind,
          topic: event.topic,
          host_id: event.hostId,
          start_time: event.startTime,
        },
      });
    }
    return this.upsert(event.meetingId, event.meetingUuid, {
      $min: { first_event_ts: event.ts },
      $max: { ended_ts: event.ts, ...(event.endTime ? { end_time: event.endTime } : {}) },
      $setOnInsert: {
        kind: event.meetingKind,
        topic: event.topic,
        host_id: event.hostId,
        start_time: event.startTime,
      },
    });
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

  /** Unconditional filter on the unique key: 11000 only when a concurrent insert won; retry. */
  private async upsert(
    meetingId: string,
    uuid: string,
    update: Record<string, unknown>,
  ): Promise<OccurrenceRecord> {
    const filter = { meeting_id: meetingId, uuid };
    const options = { upsert: true, new: true } as const;
    // The update only sets and takes minimums/maximums, so repeating it changes nothing.
    const write = () =>
      retryTestServerCodelessError(() =>
        this.occurrences
          .findOneAndUpdate(filter, update, options)
          .lean<OccurrenceRecord>()
          .orFail()
          .exec(),
      );
    try {
      return await write();
    } catch (error: unknown) {
      if ((error as { code?: unknown }).code !== DUPLICATE_KEY) throw error;
      return write();
    }
  }
}
