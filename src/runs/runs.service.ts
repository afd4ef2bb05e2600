import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { EventEmitter } from 'node:events';
import type { MeetingLevel } from '../access/access.types';
import type { Actor } from '../common/auth/actor';
import type { RunRecord } from './run.types';
import { Run } from './schemas/run.schema';

/**
 * Runs of question sets (issue 16): start (now or armed for `meeting.started`), next, end, the
 * state every page and route reads. State lives in the run document only (RunRecord); every
 * transition is one conditional update on it and bumps `version`.
 */
@Injectable()
export class RunsService {
  /** 'changed' (RunChangedEvent, run.types.ts) after a transition made on this instance. */
  readonly events = new EventEmitter();

  constructor(@InjectModel(Run.name) private readonly runs: Model<Run>) {
    this.events.setMaxListeners(0);
  }

  /** The run as stored now (never cached: another instance may have moved it), or null. */
  async byId(id: Types.ObjectId): Promise<RunRecord | null> {
    return this.runs.findById(id).lean<RunRecord>().exec();
  }

  /**
   * The run if the actor may act on it at `level` in its meeting (docs/architecture.md §10):
   * 404 for a run the actor may not see (another instructor's: owned like questions, and
   * the meeting's access rule), 403 when they may see but not act.
   */
  authorize(actor: Actor, id: Types.ObjectId, level: MeetingLevel): Promise<RunRecord> {
    void actor;
    void id;
    void level;
    return Promise.reject(new Error('authorize: not implemented yet (issue 16, branch run-core)'));
  }
}
