import { HttpException, HttpStatus } from '@nestjs/common';

/** 429 with the seconds to wait, which the answer page filter sends as `Retry-After`. */
export class TooManyAnswersException extends HttpException {
  constructor(
    readonly retryAfterSeconds: number,
    message = `Too many requests; try again in ${retryAfterSeconds} s`,
  ) {
    super(message, HttpStatus.TOO_MANY_REQUESTS);
  }
}

/** 410: the recipient's window (closes_at plus the grace period) has passed. */
export class AnswersClosedException extends HttpException {
  constructor() {
    super(
      { message: 'This question is closed: the time to answer has run out', error: 'closed' },
      HttpStatus.GONE,
    );
  }
}

/** 409: the unique index refused a second answer from the same person. */
export class AlreadyAnsweredException extends HttpException {
  constructor() {
    super(
      'You have already answered this question; the first answer is final',
      HttpStatus.CONFLICT,
    );
  }
}
