import mongoose from 'mongoose';
import { DatabaseUnavailableException, isDatabaseUnavailable } from './database-unavailable';

// Not exported from the driver's entry point; the class a cleared pool throws (mongodb 6).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PoolClearedError } = require('mongodb/lib/cmap/errors') as {
  PoolClearedError: new (pool: { address: string }, message?: string) => Error;
};

/** What Node raises on a write to a socket the database closed (net.Socket's writeAfterFIN). */
function endedByPeer(): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error('This socket has been ended by the other party');
  error.code = 'EPIPE';
  return error;
}

describe('isDatabaseUnavailable', () => {
  it('takes a socket the database ended mid-write for an outage, as the driver rethrows it', () => {
    expect(isDatabaseUnavailable(endedByPeer())).toBe(true);
    const reset: NodeJS.ErrnoException = new Error('read ECONNRESET');
    reset.code = 'ECONNRESET';
    reset.syscall = 'read';
    expect(isDatabaseUnavailable(reset)).toBe(true);
  });

  it('takes a bulk write the driver could not send for an outage, and one a document failed in not', () => {
    const { mongo } = mongoose;
    const lost = new mongo.MongoNetworkError('connection 8 to x closed');
    const result = {} as ConstructorParameters<typeof mongo.MongoBulkWriteError>[1];
    expect(isDatabaseUnavailable(new mongo.MongoBulkWriteError(lost, result))).toBe(true);
    const refused = new mongo.MongoBulkWriteError(
      { message: 'E11000 duplicate key', code: 11000, writeErrors: [] },
      result,
    );
    expect(isDatabaseUnavailable(refused)).toBe(false);
  });

  it("takes the driver's own network errors for an outage, the pool cleared among them", () => {
    const { mongo } = mongoose;
    expect(isDatabaseUnavailable(new mongo.MongoNetworkError('connection 3 to x closed'))).toBe(
      true,
    );
    // What the driver throws at operations queued on a pool it cleared after a network error.
    expect(isDatabaseUnavailable(new PoolClearedError({ address: 'db:27017' }, 'dropped'))).toBe(
      true,
    );
    expect(isDatabaseUnavailable(new mongo.MongoNotConnectedError('not connected'))).toBe(true);
    expect(isDatabaseUnavailable(new mongo.MongoTopologyClosedError())).toBe(true);
    expect(isDatabaseUnavailable(new DatabaseUnavailableException())).toBe(true);
  });

  it('leaves query errors, code-less errors and other HTTP clients alone', () => {
    const { mongo } = mongoose;
    expect(isDatabaseUnavailable(new mongo.MongoServerError({ code: 11000, errmsg: 'dup' }))).toBe(
      false,
    );
    expect(isDatabaseUnavailable(new Error('This socket has been ended by the other party'))).toBe(
      false,
    );
    const axiosLike = Object.assign(new Error('socket hang up'), {
      code: 'ECONNRESET',
      isAxiosError: true,
    });
    expect(isDatabaseUnavailable(axiosLike)).toBe(false);
    expect(isDatabaseUnavailable('EPIPE')).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
  });
});
