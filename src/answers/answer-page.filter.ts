import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isAnswerTokenShaped } from '../broadcasts/broadcast.types';
import { AllExceptionsFilter } from '../common/errors/all-exceptions.filter';
import type { ErrorBodyDto } from '../common/errors/error-body';
import {
  DATABASE_RETRY_AFTER_SECONDS,
  isDatabaseUnavailable,
} from '../database/database-unavailable';
import { TooManyAnswersException } from './answer-errors';
import { answerPageHeaders } from './answer-page.headers';
import { renderMessagePage } from './page/answer-page.view';

/**
 * Errors on the participant routes. JSON callers get the API's one error body; a browser (the
 * page itself, or its form post without JavaScript) gets a friendly page with the same status.
 * A 429 carries Retry-After either way, and so does the 503 of a database outage. Unexpected errors are logged with the route pattern, not
 * the URL: the URL holds the participant's token, and logs must not (docs/architecture.md §10).
 */
@Catch()
export class AnswerPageExceptionFilter extends AllExceptionsFilter {
  private readonly pageLogger = new Logger('Errors');

  override catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    if (reply.sent) return;
    if (exception instanceof TooManyAnswersException) {
      void reply.header('retry-after', String(exception.retryAfterSeconds));
    }
    const json = wantsJson(request);
    if (isDatabaseUnavailable(exception)) {
      if (json) {
        super.catch(exception, host);
        return;
      }
      void reply
        .status(HttpStatus.SERVICE_UNAVAILABLE)
        .header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS))
        .headers(answerPageHeaders())
        .header('content-type', 'text/html; charset=utf-8')
        .send(
          renderMessagePage({
            title: 'Please try again in a moment',
            message: 'The answers cannot be reached right now. Nothing was recorded yet.',
          }),
        );
      return;
    }
    const status = clientErrorStatus(exception);
    if (status !== null && json) {
      super.catch(exception, host);
      return;
    }
    if (status === null) {
      const error = exception instanceof Error ? exception : new Error(String(exception));
      this.pageLogger.error(
        `[${request.id}] ${request.method} ${request.routeOptions.url ?? '/q'}: ${error.message}`,
        error.stack,
      );
      if (json) {
        const body: ErrorBodyDto = {
          statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
          error: 'Internal Server Error',
          message: 'Internal server error; quote the request id when reporting it',
          request_id: String(request.id),
        };
        void reply.status(body.statusCode).send(body);
        return;
      }
    }
    const token = (request.params as { token?: unknown } | undefined)?.token;
    const finalStatus = status ?? HttpStatus.INTERNAL_SERVER_ERROR;
    void reply
      .status(finalStatus)
      .headers(answerPageHeaders())
      .header('content-type', 'text/html; charset=utf-8')
      .send(pageFor(finalStatus, exception, typeof token === 'string' ? token : ''));
  }
}

/** The status of an expected (4xx) failure, or null for anything that is a server error. */
function clientErrorStatus(exception: unknown): number | null {
  const status =
    exception instanceof HttpException
      ? exception.getStatus()
      : (exception as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : null;
}

/** JSON for JSON posts and for clients asking for JSON; a page for browsers. */
export function wantsJson(request: FastifyRequest): boolean {
  if (request.method === 'POST') return /\bjson\b/i.test(request.headers['content-type'] ?? '');
  const accept = request.headers.accept ?? '';
  return /\bjson\b/i.test(accept) && !/text\/html/i.test(accept);
}

function pageFor(status: number, exception: unknown, token: string): string {
  const back = isAnswerTokenShaped(token) ? `/q/${token}` : undefined;
  const message = exception instanceof HttpException ? exception.message : '';
  switch (status as HttpStatus) {
    case HttpStatus.NOT_FOUND:
      return renderMessagePage({
        title: 'This link does not work',
        message:
          'This answer link is not valid. Check that you opened the whole link from your Zoom chat message, or ask your instructor to send it again.',
      });
    case HttpStatus.CONFLICT:
      return renderMessagePage({
        title: 'You have already answered',
        message: 'Your first answer counts and cannot be changed.',
        backHref: back,
      });
    case HttpStatus.GONE:
      return renderMessagePage({
        title: 'This question is closed',
        message: 'The time to answer ran out before your answer arrived, so it was not recorded.',
      });
    case HttpStatus.TOO_MANY_REQUESTS:
      return renderMessagePage({
        title: 'Slow down',
        message: `${message}. Your answer was not recorded yet.`,
        backHref: back,
      });
    case HttpStatus.INTERNAL_SERVER_ERROR:
      return renderMessagePage({
        title: 'Something went wrong',
        message: 'The server could not handle this. Please try again in a moment.',
        backHref: back,
      });
    default:
      return renderMessagePage({
        title: 'Your answer could not be read',
        message: `${message.replace(/^Validation failed: /, '')}. Go back, check your answer and send it again.`,
        backHref: back,
      });
  }
}
