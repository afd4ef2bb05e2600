import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { AppConfig } from '../config/app-config';
import { isDuplicateKey } from '../database/duplicate-key';
import { retryTestServerCodelessError } from '../database/test-server-workarounds';
import type { DailyLimitPause } from './daily-limit';
import type { ZoomRateLabel } from './rate-limiter';
import { ZoomBudget } from './schemas/zoom-budget.schema';
import type { BudgetState, BudgetStore } from './shared-rate-limiter';

/**
 * The shared budget's records in MongoDB (docs/architecture.md §20). Each operation is one
 * update whose filter is exactly the unique `_id` and whose operators are `$max`: no read before
 * the write, no transaction, no write conflict between instances, and an exact unique-key lookup
 * on the test server too (§12).
 */
@Injectable()
export class ZoomBudgetStore implements BudgetStore {
  private readonly account: string;

  constructor(
    @InjectModel(ZoomBudget.name) private readonly budgets: Model<ZoomBudget>,
    config: AppConfig,
  ) {
    // docs/zoom.md §4: the limits are the account's, whichever app or instance calls.
    this.account = config.zoom.accountId || 'default';
  }

  async book(label: ZoomRateLabel, until: number): Promise<BudgetState | null> {
    const before = await upsertRace(() =>
      this.budgets
        .findOneAndUpdate(
          { _id: this.id(label) },
          { $max: { booked_until: until } },
          { upsert: true, returnDocument: 'before', lean: true },
        )
        .exec(),
    );
    if (!before) return null;
    const dailyUntil = before.daily_until ?? 0;
    return {
      bookedUntil: before.booked_until ?? 0,
      pausedUntil: before.paused_until ?? 0,
      daily:
        dailyUntil > 0
          ? {
              until: dailyUntil,
              zoomMessage: before.daily_message ?? 'daily limit reached',
              trackingId: before.daily_tracking_id ?? null,
            }
          : null,
    };
  }

  async pause(label: ZoomRateLabel, until: number): Promise<void> {
    await upsertRace(() =>
      this.budgets
        .updateOne(
          { _id: this.id(label) },
          { $max: { paused_until: until, booked_until: until } },
          { upsert: true },
        )
        .exec(),
    );
  }

  async pauseDaily(pause: DailyLimitPause): Promise<void> {
    // The words are informational: of two instances recording the same cap, either one's will do.
    await upsertRace(() =>
      this.budgets
        .updateOne(
          { _id: this.id(pause.label) },
          {
            $max: { daily_until: pause.resetsAt.getTime() },
            $set: { daily_message: pause.zoomMessage, daily_tracking_id: pause.trackingId },
          },
          { upsert: true },
        )
        .exec(),
    );
  }

  private id(label: ZoomRateLabel): string {
    return `${this.account}:${label}`;
  }
}

/**
 * Two instances creating the same record at once: one insert loses with 11000 (MongoDB retries
 * that itself for an `_id` equality since 4.2; other engines and the test server may not), and
 * the write is then simply made again, now as an update. Every write here is a `$max`, so a
 * repeat changes nothing that the first did.
 */
async function upsertRace<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await retryTestServerCodelessError(write);
  } catch (error: unknown) {
    if (!isDuplicateKey(error)) throw error;
    return retryTestServerCodelessError(write);
  }
}
