import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { isDuplicateKey } from '../database/duplicate-key';
import {
  isTestServerCodelessError,
  retryTestServerCodelessError,
} from '../database/test-server-workarounds';
import { JobLease } from './schemas/job-lease.schema';

/** Leases of background jobs: one write each, no transactions (docs/architecture.md §12). */
@Injectable()
export class JobLeasesRepository {
  constructor(@InjectModel(JobLease.name) private readonly leases: Model<JobLease>) {}

  /**
   * Takes the lease `name` until `until` if no one holds it at `now`. The filter matches only a
   * lapsed lease; when one is held, the upsert's insert of the same `_id` fails with 11000, so of
   * several instances exactly one takes it.
   */
  async take(name: string, owner: string, now: Date, until: Date): Promise<boolean> {
    try {
      await retryTestServerCodelessError(() =>
        this.leases
          .updateOne(
            { _id: name, until: { $lte: now } },
            { $set: { owner, until } },
            { upsert: true },
          )
          .exec(),
      );
      return true;
    } catch (error) {
      if (isDuplicateKey(error) || isTestServerCodelessError(error)) return false;
      throw error;
    }
  }

  /** Moves the end of a lease this owner still holds; false when it lost it. */
  async extend(name: string, owner: string, until: Date): Promise<boolean> {
    const result = await this.leases.updateOne({ _id: name, owner }, { $set: { until } }).exec();
    return result.matchedCount === 1;
  }
}
