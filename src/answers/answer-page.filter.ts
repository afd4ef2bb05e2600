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
import { answerHtmlHeaders } from './answer-page.headers';
import { renderMessagePage } from './page/answer-page.view';
import type { PageWordKey } from './page/i18n/en';
import { PageText, pageTextFor } from './page/i18n/page-text';

/**
 * Errors on the participant routes. JSON callers get the API's one error body; a browser (the
 * page itself, or its form post without JavaScript) gets a friendly page with the same status.
 * A 429 carries Retry-After either way, and so does the 503 of a database outage. Pages speak the
 * request's language (Accept-Language); a 400 names what to fix by the field that failed, in that
 * language, rather than echoing the API's English reason. Unexpected errors are logged with the
 * route pattern, not the URL: the URL holds the participant's token, and logs must not
 * (docs/architecture.md §10).
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
    const text = pageTextFor(request);
    if (isDatabaseUnavailable(exception)) {
      if (json) {
        super.catch(exception, host);
        return;
      }
      void reply
        .status(HttpStatus.SERVICE_UNAVAILABLE)
        .header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS))
        .headers(answerHtmlHeaders(text.language))
        .send(
          renderMessagePage({
            text,
            title: text.t('unavailable'),
            message: text.t('unavailable_body'),
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
      .headers(answerHtmlHeaders(text.language))
      .send(pageFor(text, finalStatus, exception, backHrefOf(request.url, token)));
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

/** Back to the page the token opens: a question's (`/q/`) or a run's (`/r/`). */
function backHrefOf(url: string, token: unknown): string | undefined {
  if (typeof token !== 'string' || !isAnswerTokenShaped(token)) return undefined;
  return `${url.startsWith('/r/') ? '/r' : '/q'}/${token}`;
}

function pageFor(
  text: PageText,
  status: number,
  exception: unknown,
  backHref: string | undefined,
): string {
  const page = (title: PageWordKey, message: string, back = false): string =>
    renderMessagePage({
      text,
      title: text.t(title),
      message,
      backHref: back ? backHref : undefined,
    });
  switch (status as HttpStatus) {
    case HttpStatus.NOT_FOUND:
      return page('not_found', text.t('not_found_body'));
    case HttpStatus.CONFLICT:
      return page('already_answered', text.t('conflict_body'), true);
    case HttpStatus.GONE:
      return page('closed', text.t('gone_body'));
    case HttpStatus.TOO_MANY_REQUESTS:
      return page('too_many', text.t('too_many_body'), true);
    case HttpStatus.INTERNAL_SERVER_ERROR:
      return page('server_error', text.t('server_error_body'), true);
    default: {
      const fixes = [...new Set(failedFields(exception).map((f) => FIELD_FIXES[f]))]
        .filter((key): key is PageWordKey => key !== undefined)
        .map((key) => text.t(key));
      return page('unreadable', [...fixes, text.t('unreadable_body')].join(' '), true);
    }
  }
}

/** What to tell the participant for each answer-page field that can fail validation. */
const FIELD_FIXES: Record<string, PageWordKey | undefined> = {
  choice: 'fix_choice',
  choices: 'fix_choices',
  value: 'fix_value',
  text: 'fix_text',
  order: 'fix_order',
  name: 'fix_name',
  email: 'fix_email',
};

/** The fields a 400 names in its details (the one error body's `details[].field`). */
function failedFields(exception: unknown): string[] {
  if (!(exception instanceof HttpException)) return [];
  const response = exception.getResponse();
  const details = typeof response === 'object' ? (response as { details?: unknown }).details : null;
  if (!Array.isArray(details)) return [];
  return details
    .map((d) => (d as { field?: unknown } | null)?.field)
    .filter((field): field is string => typeof field === 'string');
}
