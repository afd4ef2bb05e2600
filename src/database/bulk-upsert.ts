import { mongo } from 'mongoose';
import { isDuplicateKey } from './duplicate-key';
import { isTestServerCodelessError } from './test-server-workarounds';

/** Tries of one operation that lost its insert race before its error is given back. */
const ATTEMPTS = 3;

export interface BulkUpsertOutcome {
  /** Indexes of the operations that inserted their document. */
  inserted: Set<number>;
  /** Per failed operation (by index): the error its caller gets. */
  errors: Map<number, unknown>;
}

/**
 * One unordered bulk write (one database command) of upserts whose filters are exactly a unique
 * key and whose updates are safe to repeat. An operation that lost its insert race to a
 * concurrent writer (isDuplicateKey, on every engine) is sent again, with the others that lost,
 * in one more command; so is one the test server failed without a code
 * (isTestServerCodelessError). Any other failure of one operation is given back for that
 * operation only; a failure of the whole command (the database unreachable) is thrown.
 */
export async function bulkUpsert<T extends mongo.Document>(
  collection: mongo.Collection<T>,
  operations: Array<mongo.AnyBulkWriteOperation<T>>,
): Promise<BulkUpsertOutcome> {
  const outcome: BulkUpsertOutcome = { inserted: new Set(), errors: new Map() };
  let pending = operations.map((_, i) => i);
  for (let attempt = 1; pending.length > 0; attempt++) {
    const sent = pending;
    pending = [];
    try {
      const result = await collection.bulkWrite(
        sent.map((i) => operations[i]),
        { ordered: false },
      );
      noteInserted(result, sent, outcome.inserted);
    } catch (error: unknown) {
      if (!(error instanceof mongo.MongoBulkWriteError)) throw error;
      noteInserted(error.result, sent, outcome.inserted);
      for (const writeError of writeErrorsOf(error)) {
        const index = sent[writeError.index];
        const lostRace = isDuplicateKey(writeError) || isTestServerCodelessError(writeError);
        if (lostRace && attempt < ATTEMPTS) pending.push(index);
        else outcome.errors.set(index, error);
      }
    }
  }
  return outcome;
}

function noteInserted(result: mongo.BulkWriteResult, sent: number[], inserted: Set<number>) {
  for (const index of Object.keys(result.upsertedIds)) inserted.add(sent[Number(index)]);
}

/** The failed operations of a bulk write (the driver gives one error alone, several as a list). */
export function writeErrorsOf(error: mongo.MongoBulkWriteError): readonly mongo.WriteError[] {
  const { writeErrors } = error;
  return Array.isArray(writeErrors)
    ? (writeErrors as readonly mongo.WriteError[])
    : [writeErrors as mongo.WriteError];
}
