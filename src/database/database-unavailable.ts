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
 * guard's own exception, and the driver's network, server-selection and closed-client errors.
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
    error instanceof mongoose.Error.MongooseServerSelectionError
  );
}

export const DATABASE_UNAVAILABLE_STATUS = HttpStatus.SERVICE_UNAVAILABLE;
