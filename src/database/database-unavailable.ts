import { HttpStatus, ServiceUnavailableException } from '@nestjs/common';
import mongoose from 'mongoose';

/** What a 503 tells clients (Retry-After) while the database is unreachable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;
export const DATABASE_UNAVAILABLE_MESSAGE =
  'The database is unreachable right now; nothing was changed. Try again shortly (see Retry-After).';

/** Thrown instead of waiting for a database the driver already knows is gone. */
export class DatabaseUnavailableException extends ServiceUnavailableException {
  constructor() {
    super(DATABASE_UNAVAILABLE_MESSAGE);
  }
}

/**
 * True for failures that mean "the database cannot be reached", as opposed to a bad query: the
 * guard's own exception, the driver's network (PoolClearedError among them), server-selection and
 * closed-client errors, and a socket error the driver passes on unwrapped.
 * Every route answers these with 503 and Retry-After (Zoom retries a webhook that failed).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const { mongo } = mongoose;
  return (
    error instanceof DatabaseUnavailableException ||
    error instanceof mongo.MongoNetworkError ||
    error instanceof mongo.MongoServerSelectionError ||
    error instanceof mongo.MongoNotConnectedError ||
    error instanceof mongo.MongoTopologyClosedError ||
    error instanceof mongoose.Error.MongooseServerSelectionError ||
    isDroppedDatabaseSocket(error) ||
    isFailedBulkWrite(error)
  );
}

/**
 * A bulk write the driver could not send: it wraps whatever it caught (a network error among
 * them) in a MongoBulkWriteError with no per-document errors and the original as its
 * `errorResponse` (the driver's bulk/common.js), so the sender's grouped outcome writes
 * (docs/architecture.md §5) would not read as an outage without looking inside.
 */
function isFailedBulkWrite(error: unknown): boolean {
  if (!(error instanceof mongoose.mongo.MongoBulkWriteError)) return false;
  const inner: unknown = error.errorResponse;
  return inner !== error && inner instanceof Error && isDatabaseUnavailable(inner);
}

/**
 * Node's own errors for a connection the other side closed. The driver wraps most socket errors in
 * MongoNetworkError, but not one raised while it waits for a write to drain
 * (Connection.writeCommand in the mongodb driver rethrows it as it is): a database that drops the
 * connection mid-write surfaces as Node's EPIPE, "This socket has been ended by the other party".
 * Only errors outside any HTTP client's wrapping reach here (the Zoom client turns its own into
 * ZoomApiError), so such a code on a plain Error is the database's socket.
 */
const DROPPED_SOCKET_CODES = new Set([
  'EPIPE',
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ENOTCONN',
  'ERR_STREAM_DESTROYED',
  'ERR_STREAM_WRITE_AFTER_END',
  'ERR_SOCKET_CLOSED',
]);

function isDroppedDatabaseSocket(error: unknown): boolean {
  if (!(error instanceof Error) || error instanceof mongoose.mongo.MongoError) return false;
  if ((error as { isAxiosError?: unknown }).isAxiosError === true) return false;
  const code = (error as NodeJS.ErrnoException).code;
  return typeof code === 'string' && DROPPED_SOCKET_CODES.has(code);
}

export const DATABASE_UNAVAILABLE_STATUS = HttpStatus.SERVICE_UNAVAILABLE;
