import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { ANSWER_PATH_BATCH_INTERVAL_MS, KeyedBatcher } from '../database/keyed-batcher';
import type { BroadcastControls } from './broadcast.types';
import { Broadcast } from './schemas/broadcast.schema';

/** Broadcasts per `$in` query. */
const MAX_BATCH = 500;

/**
 * Reads a broadcast's close and reveal (BroadcastControls) for the answer path. They change
 * after sending, on any instance, and "Close now" must stop answers everywhere at once, so they
 * are never cached: every answer reads them. To keep that cheap in a burst, reads are grouped
 * (KeyedBatcher, src/database/keyed-batcher.ts): those asked for while one is in flight share the next
 * query, for every broadcast at once, at most one query per ANSWER_PATH_BATCH_INTERVAL_MS while
 * answers keep coming. Each query starts after every caller waiting on it arrived,
 * so a caller never gets a value read before its own request began: a close that was answered
 * before an answer arrived is always seen by that answer.
 */
@Injectable()
export class BroadcastControlsReader {
  private readonly reads: KeyedBatcher<string, BroadcastControls>;

  constructor(@InjectModel(Broadcast.name) private readonly broadcasts: Model<Broadcast>) {
    this.reads = new KeyedBatcher(
      (keys) => this.load(keys),
      MAX_BATCH,
      ANSWER_PATH_BATCH_INTERVAL_MS,
    );
  }

  /** null when there is no such broadcast. */
  read(id: Types.ObjectId): Promise<BroadcastControls | null> {
    return this.reads.get(id.toHexString());
  }

  private async load(keys: string[]): Promise<Map<string, BroadcastControls>> {
    // A burst is almost always one broadcast: an exact _id lookup then (the test server uses an
    // index only for an exact key, docs/architecture.md §12); `$in` on _id for several.
    const ids = keys.map((key) => new Types.ObjectId(key));
    const rows = await this.broadcasts
      .find(ids.length === 1 ? { _id: ids[0] } : { _id: { $in: ids } }, {
        closed_at: 1,
        revealed_at: 1,
      })
      .lean<Array<{ _id: Types.ObjectId; closed_at?: Date | null; revealed_at?: Date | null }>>()
      .exec();
    return new Map(
      rows.map((row) => [
        row._id.toHexString(),
        { closed_at: row.closed_at ?? null, revealed_at: row.revealed_at ?? null },
      ]),
    );
  }
}
