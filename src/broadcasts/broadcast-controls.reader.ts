import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import type { BroadcastControls } from './broadcast.types';
import { Broadcast } from './schemas/broadcast.schema';

interface Waiter {
  resolve(controls: BroadcastControls | null): void;
  reject(error: unknown): void;
}

/**
 * Reads a broadcast's close and reveal (BroadcastControls) for the answer path. They change
 * after sending, on any instance, and "Close now" must stop answers everywhere at once, so they
 * are never cached: every answer reads them. To keep that cheap in a burst, reads asked for in
 * the same event-loop turn share one query per broadcast. Each query starts after every caller
 * waiting on it arrived, so a caller never gets a value read before its own request began: a
 * close that was answered before an answer arrived is always seen by that answer.
 */
@Injectable()
export class BroadcastControlsReader {
  private pending = new Map<string, Waiter[]>();
  private flushScheduled = false;

  constructor(@InjectModel(Broadcast.name) private readonly broadcasts: Model<Broadcast>) {}

  /** null when there is no such broadcast. */
  read(id: Types.ObjectId): Promise<BroadcastControls | null> {
    return new Promise((resolve, reject) => {
      const key = id.toHexString();
      const waiters = this.pending.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else this.pending.set(key, [{ resolve, reject }]);
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.pending;
    this.pending = new Map();
    for (const [key, waiters] of batch) {
      // One exact _id lookup per broadcast (a burst is almost always one broadcast).
      this.broadcasts
        .findById(new Types.ObjectId(key), { closed_at: 1, revealed_at: 1 })
        .lean<{ closed_at?: Date | null; revealed_at?: Date | null }>()
        .exec()
        .then(
          (row) => {
            const controls = row
              ? { closed_at: row.closed_at ?? null, revealed_at: row.revealed_at ?? null }
              : null;
            for (const waiter of waiters) waiter.resolve(controls);
          },
          (error: unknown) => {
            for (const waiter of waiters) waiter.reject(error);
          },
        );
    }
  }
}
