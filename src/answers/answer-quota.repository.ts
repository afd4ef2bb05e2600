import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, mongo } from 'mongoose';
import { isDuplicateKey } from '../database/duplicate-key';
import { isTestServerCodelessError } from '../database/test-server-workarounds';
import { AnswerQuotaCounter } from './schemas/answer-quota.schema';

export interface QuotaReservation {
  key: string;
  expiresAt: Date;
}

/** The fields of the driver's WriteError read here. */
interface WriteFailure {
  index: number;
  code?: number;
  errmsg?: string;
}

/** The shared per-link-per-address answer counters (answer_quotas). */
@Injectable()
export class AnswerQuotaRepository {
  constructor(
    @InjectModel(AnswerQuotaCounter.name) private readonly counters: Model<AnswerQuotaCounter>,
  ) {}

  /**
   * Takes one answer from each key's count unless it is at `limit`, in one command for the whole
   * batch; per item: true (taken), false (spent), or the error of that item. Each is an upsert of
   * the exact `_id` with `used < limit` in its filter: a spent counter matches nothing, the
   * upsert's insert then meets the existing `_id` and the unique index refuses it (duplicate key).
   * A duplicate can also be two first answers racing to create the counter, so those items are
   * tried once more (a second command, only on refusals and races): a spent counter refuses again.
   */
  async reserveMany(items: QuotaReservation[], limit: number): Promise<Array<boolean | Error>> {
    const first = await this.reserveOnce(items, limit);
    const again = first.flatMap((outcome, i) => (outcome === 'retry' ? [i] : []));
    const second =
      again.length > 0
        ? await this.reserveOnce(
            again.map((i) => items[i]),
            limit,
          )
        : [];
    const outcomes = first.map((outcome) => outcome);
    again.forEach((i, j) => (outcomes[i] = second[j]));
    return outcomes.map((outcome) =>
      outcome === 'retry' ? false : outcome === 'taken' ? true : outcome,
    );
  }

  /** Gives back one answer whose reservation was not used (not stored); never below zero. */
  async release(key: string): Promise<void> {
    await this.counters.collection.updateOne(
      { _id: key as never, used: { $gt: 0 } },
      { $inc: { used: -1 } },
    );
  }

  /** One bulk write: per item 'taken', 'retry' (refused by the unique index) or its error. */
  private async reserveOnce(
    items: QuotaReservation[],
    limit: number,
  ): Promise<Array<'taken' | 'retry' | Error>> {
    try {
      await this.counters.collection.bulkWrite(
        items.map(({ key, expiresAt }) => ({
          updateOne: {
            filter: { _id: key as never, used: { $lt: limit } },
            update: { $inc: { used: 1 }, $max: { expires_at: expiresAt } },
            upsert: true,
          },
        })),
        { ordered: false },
      );
      return items.map(() => 'taken');
    } catch (error) {
      if (!(error instanceof mongo.MongoBulkWriteError)) throw error;
      const raw = error.writeErrors as WriteFailure | WriteFailure[];
      const byIndex = new Map((Array.isArray(raw) ? raw : [raw]).map((e) => [e.index, e]));
      return items.map((_, i) => {
        const failed = byIndex.get(i);
        if (!failed) return 'taken';
        if (isDuplicateKey(failed) || isTestServerCodelessError(failed)) return 'retry';
        return new Error(`Answer quota not counted: ${failed.errmsg ?? `code ${failed.code}`}`);
      });
    }
  }
}
