import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { RunArm } from './schemas/run-arm.schema';

/** Arms of one meeting read at once (newest first): a meeting has a handful. */
const MEETING_ARMS_LIMIT = 200;

export type StoredArm = RunArm & { _id: Types.ObjectId };

/**
 * The `run_arms` collection: armed starts. Every change of state is one conditional update, so
 * the instances that all see `meeting.started` (or all sweep) schedule and start an arm once.
 */
@Injectable()
export class RunArmsRepository {
  constructor(@InjectModel(RunArm.name) private readonly arms: Model<RunArm>) {}

  /** A new arm; 11000 on its _id when the same request (Idempotency-Key) armed it already. */
  async insert(
    arm: Pick<
      StoredArm,
      | '_id'
      | 'set_id'
      | 'owner_id'
      | 'owner_role'
      | 'meeting_id'
      | 'delay_seconds'
      | 'duration_seconds'
    >,
  ): Promise<StoredArm> {
    const created = await this.arms.create(arm);
    return created.toObject<StoredArm>();
  }

  async byId(id: Types.ObjectId): Promise<StoredArm | null> {
    return this.arms.findById(id).lean<StoredArm>().exec();
  }

  /** Arms of a meeting in a state, by the `{meeting_id, state}` index. */
  async inMeeting(meetingId: string, states: StoredArm['state'][]): Promise<StoredArm[]> {
    return this.arms
      .find({ meeting_id: meetingId, state: { $in: states } })
      .sort({ created_at: -1 })
      .limit(MEETING_ARMS_LIMIT)
      .lean<StoredArm[]>()
      .exec();
  }

  /** Every arm still waiting for its meeting to start (the worker's sweep). */
  async armed(): Promise<StoredArm[]> {
    return this.arms.find({ state: 'armed' }).lean<StoredArm[]>().exec();
  }

  /** armed -> scheduled, once: the first instance to see the meeting start sets start_at. */
  async schedule(id: Types.ObjectId, startAt: Date): Promise<boolean> {
    const result = await this.arms
      .updateOne({ _id: id, state: 'armed' }, { $set: { state: 'scheduled', start_at: startAt } })
      .exec();
    return result.modifiedCount === 1;
  }

  /** Scheduled arms due by `now`, by the `{state, start_at}` index. */
  async due(now: Date): Promise<StoredArm[]> {
    return this.arms
      .find({ state: 'scheduled', start_at: { $lte: now } })
      .lean<StoredArm[]>()
      .exec();
  }

  /**
   * Takes a due arm to start it: one conditional update on the take's lease, so one instance
   * starts it at a time; a take older than `staleBefore` (its instance died) is taken again.
   */
  async take(id: Types.ObjectId, now: Date, staleBefore: Date): Promise<boolean> {
    const result = await this.arms
      .updateOne(
        {
          _id: id,
          state: 'scheduled',
          $or: [{ taken_at: null }, { taken_at: { $lt: staleBefore } }],
        },
        { $set: { taken_at: now } },
      )
      .exec();
    return result.modifiedCount === 1;
  }

  /** The arm's run has started (or was found started: a repeat). */
  async started(id: Types.ObjectId, runId: Types.ObjectId): Promise<void> {
    await this.arms
      .updateOne(
        { _id: id, state: { $in: ['scheduled', 'armed'] } },
        { $set: { state: 'started', run_id: runId } },
      )
      .exec();
  }

  /** The start could not happen (its set is gone, a run of it is live): said on the arm. */
  async failed(id: Types.ObjectId, error: string): Promise<void> {
    await this.arms
      .updateOne(
        { _id: id, state: { $in: ['scheduled', 'armed'] } },
        { $set: { state: 'disarmed', error: error.slice(0, 500) } },
      )
      .exec();
  }

  /**
   * DELETE /api/run-arms/{id}: only an arm not started and not being started (taken by an
   * instance whose take is still fresh); false otherwise.
   */
  async disarm(id: Types.ObjectId, staleBefore: Date): Promise<boolean> {
    const result = await this.arms
      .updateOne(
        {
          _id: id,
          $or: [
            { state: 'armed' },
            { state: 'scheduled', taken_at: null },
            { state: 'scheduled', taken_at: { $lt: staleBefore } },
          ],
        },
        { $set: { state: 'disarmed' } },
      )
      .exec();
    return result.modifiedCount === 1;
  }
}
