import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { isDuplicateKey } from '../database/duplicate-key';
import { retryTestServerCodelessError } from '../database/test-server-workarounds';
import type { ProgressFacts } from './run-phase';
import { RunProgress } from './schemas/run-progress.schema';

/** One person's progress as read (run_progress). */
export interface ProgressRecord extends ProgressFacts {
  answered: number[];
}

const NONE: ProgressRecord = { index: 0, opened_at: null, answered: [] };

/**
 * run_progress (src/runs/schemas/run-progress.schema.ts): one person's place in a run. Every
 * write is one conditional update naming the person (the unique { run_id, recipient_key } key),
 * so a reload, a second tab or a second instance applies each step once: the clock of a question
 * starts once (`opened_at` only while null), a person moves past a question once (only from the
 * index they are on), an anonymous answer is counted once per question (only while absent).
 */
@Injectable()
export class RunProgressRepository {
  constructor(@InjectModel(RunProgress.name) private readonly progress: Model<RunProgress>) {}

  /** The person's progress; index 0, not opened, nothing answered when they have none yet. */
  async read(runId: Types.ObjectId, recipientKey: string): Promise<ProgressRecord> {
    const found = await this.progress
      .findOne({ run_id: runId, recipient_key: recipientKey })
      .lean<ProgressRecord>()
      .exec();
    return found
      ? { index: found.index, opened_at: found.opened_at, answered: found.answered ?? [] }
      : NONE;
  }

  /** Starts the clock of the question at `index`, unless it started already (or they moved on). */
  async open(runId: Types.ObjectId, recipientKey: string, index: number, now: Date): Promise<void> {
    await this.ensure(runId, recipientKey);
    await this.progress
      .updateOne(
        { run_id: runId, recipient_key: recipientKey, index, opened_at: null },
        { $set: { opened_at: now } },
      )
      .exec();
  }

  /** Moves the person from `from` to the next question; false when they were not on `from`. */
  async advance(runId: Types.ObjectId, recipientKey: string, from: number): Promise<boolean> {
    await this.ensure(runId, recipientKey);
    const result = await this.progress
      .updateOne(
        { run_id: runId, recipient_key: recipientKey, index: from },
        { $set: { index: from + 1, opened_at: null } },
      )
      .exec();
    return result.modifiedCount === 1;
  }

  /** Counts an anonymous answer to the question at `index`; false when one was counted already. */
  async countAnswer(runId: Types.ObjectId, recipientKey: string, index: number): Promise<boolean> {
    await this.ensure(runId, recipientKey);
    const result = await this.progress
      .updateOne(
        { run_id: runId, recipient_key: recipientKey, answered: { $ne: index } },
        { $addToSet: { answered: index } },
      )
      .exec();
    return result.modifiedCount === 1;
  }

  /** Takes back countAnswer (the answer could not be stored), so the person may try again. */
  async uncountAnswer(runId: Types.ObjectId, recipientKey: string, index: number): Promise<void> {
    await this.progress
      .updateOne({ run_id: runId, recipient_key: recipientKey }, { $pull: { answered: index } })
      .exec();
  }

  /** The person's row, created at index 0 if missing (two first reads at once create one). */
  private async ensure(runId: Types.ObjectId, recipientKey: string): Promise<void> {
    try {
      await retryTestServerCodelessError(() =>
        this.progress
          .updateOne(
            { run_id: runId, recipient_key: recipientKey },
            { $setOnInsert: { index: 0, opened_at: null, answered: [] } },
            { upsert: true },
          )
          .exec(),
      );
    } catch (error) {
      // Two upserts racing on the unique key: the other one created it.
      if (!isDuplicateKey(error)) throw error;
    }
  }
}
