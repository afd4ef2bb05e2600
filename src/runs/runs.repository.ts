import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import type { RunRecord } from './run.types';
import { RunProgress } from './schemas/run-progress.schema';
import { Run } from './schemas/run.schema';

/** A run as stored, with the fields the runs module keeps beside RunRecord's (run.schema.ts). */
export type StoredRun = RunRecord &
  Pick<Run, 'active_key' | 'step_questions' | 'duration_seconds' | 'closing'>;

/** Newest runs GET /api/meetings/{meeting_id}/runs lists. */
const MEETING_RUNS_LIMIT = 200;

/**
 * The `runs` collection. Every transition is one conditional update on (state, current_index,
 * version) that bumps `version`: of two instances (or a request and the worker) making the same
 * move, one matches and the other changes nothing.
 */
@Injectable()
export class RunsRepository {
  constructor(
    @InjectModel(Run.name) private readonly runs: Model<Run>,
    @InjectModel(RunProgress.name) private readonly progress: Model<RunProgress>,
  ) {}

  /** Writes a new run (state 'starting'); 11000 on its _id (a repeat) or active_key (one live). */
  async insert(run: Omit<StoredRun, 'created_at' | 'updated_at'>): Promise<void> {
    await this.runs.create(run);
  }

  async byId(id: Types.ObjectId): Promise<StoredRun | null> {
    return this.runs.findById(id).lean<StoredRun>().exec();
  }

  /** The live (starting or running) run of a meeting and set, by its unique active_key. */
  async liveByKey(activeKey: string): Promise<StoredRun | null> {
    return this.runs.findOne({ active_key: activeKey }).lean<StoredRun>().exec();
  }

  /**
   * Applies a transition if the run is still exactly as the caller read it (state, position and
   * version); answers the run as written, or null when another move came first.
   */
  async transition(
    from: Pick<RunRecord, '_id' | 'state' | 'current_index' | 'version'>,
    set: Record<string, unknown>,
  ): Promise<StoredRun | null> {
    return this.runs
      .findOneAndUpdate(
        {
          _id: from._id,
          state: from.state,
          current_index: from.current_index,
          version: from.version,
        },
        { $set: set, $inc: { version: 1 } },
        { new: true },
      )
      .lean<StoredRun>()
      .exec();
  }

  /** Clears `closing` once the steps the transition at `version` left behind are closed. */
  async closed(id: Types.ObjectId, version: number): Promise<void> {
    await this.runs.updateOne({ _id: id, version, closing: true }, { $set: { closing: false } });
  }

  /** The runs worker: runs in a state (starting, running), by the `state` index. */
  async inState(state: RunRecord['state']): Promise<StoredRun[]> {
    return this.runs.find({ state }).lean<StoredRun[]>().exec();
  }

  /** The runs worker: runs whose left-behind steps are not all closed yet. */
  async closingPending(): Promise<StoredRun[]> {
    return this.runs.find({ closing: true }).lean<StoredRun[]>().exec();
  }

  /** A meeting's running runs (late joiners): the `{meeting_id, created_at}` index's prefix. */
  async runningIn(meetingId: string): Promise<StoredRun[]> {
    return this.runs.find({ meeting_id: meetingId, state: 'running' }).lean<StoredRun[]>().exec();
  }

  /** GET /api/meetings/{meeting_id}/runs: newest first, narrowed by `owner` (ownedBy). */
  async forMeeting(meetingId: string, owner: Record<string, unknown>): Promise<StoredRun[]> {
    return this.runs
      .find({ meeting_id: meetingId, ...owner })
      .sort({ created_at: -1 })
      .limit(MEETING_RUNS_LIMIT)
      .lean<StoredRun[]>()
      .exec();
  }

  /**
   * Retention (docs/architecture.md §14): up to `limit` runs created before `cutoff` are deleted
   * with everyone's places in them (run_progress first, the run last: a purge cut short finds
   * the run again). Answers how many runs.
   */
  async purgeBefore(cutoff: Date, limit: number): Promise<number> {
    const old = await this.runs
      .find({ created_at: { $lt: cutoff } }, { _id: 1 })
      .limit(limit)
      .lean<Array<{ _id: Types.ObjectId }>>()
      .exec();
    if (old.length === 0) return 0;
    const ids = old.map((r) => r._id);
    await this.progress.deleteMany({ run_id: { $in: ids } }).exec();
    return (await this.runs.deleteMany({ _id: { $in: ids } }).exec()).deletedCount;
  }

  /** Erasure: the person's places in every run, by their person keys (recipient_key). */
  async erasePerson(personKeys: string[]): Promise<number> {
    if (personKeys.length === 0) return 0;
    const result = await this.progress.deleteMany({ recipient_key: { $in: personKeys } }).exec();
    return result.deletedCount;
  }
}
