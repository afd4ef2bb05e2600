import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ACTOR_PROPERTY, type RequestWithActor } from '../common/auth/actor';
import { consolePageHeaders } from '../common/http/private-page-headers';
import {
  DATABASE_RETRY_AFTER_SECONDS,
  isDatabaseUnavailable,
} from '../database/database-unavailable';
import { readCookie } from './console-cookies';
import { SignInRequiredException } from './console.guard';
import { renderMessage } from './page/console.view';
import { SessionsService } from './sessions.service';

const TITLES: Partial<Record<number, string>> = {
  [HttpStatus.BAD_REQUEST]: 'That could not be done',
  [HttpStatus.FORBIDDEN]: 'Not allowed',
  [HttpStatus.NOT_FOUND]: 'Not found',
  [HttpStatus.CONFLICT]: 'That could not be done now',
};

/**
 * Errors on console pages are pages: a missing session goes to the sign-in form (303), a 4xx
 * says what went wrong, an unexpected error is logged with the request id (never the form) and
 * shown as a page that quotes it.
 */
@Catch()
export class ConsoleExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Console');

  constructor(private readonly sessions: SessionsService) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<RequestWithActor>();
    const reply = http.getResponse<FastifyReply>();
    if (reply.sent) return;
    if (exception instanceof SignInRequiredException) {
      const next = request.method === 'GET' ? request.url : '/console';
      void reply
        .status(HttpStatus.SEE_OTHER)
        .headers(consolePageHeaders())
        .header('location', `/console?next=${encodeURIComponent(next)}`)
        .send();
      return;
    }
    let status: number;
    let message: string;
    if (isDatabaseUnavailable(exception)) {
      status = HttpStatus.SERVICE_UNAVAILABLE;
      message = 'The database cannot be reached right now; nothing was changed. Try again shortly.';
      void reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
    } else if (exception instanceof HttpException && exception.getStatus() < 500) {
      status = exception.getStatus();
      message = exception.message;
    } else {
      status = HttpStatus.INTERNAL_SERVER_ERROR;
      const error = exception instanceof Error ? exception : new Error(String(exception));
      this.logger.error(
        `[${request.id}] ${request.method} ${request.routeOptions.url ?? '/console'}: ${error.message}`,
        error.stack,
      );
      message = `Something went wrong on the server. Quote request id ${request.id} when reporting it.`;
    }
    const cookie = readCookie(request, this.sessions.cookies.session);
    void reply
      .status(status)
      .headers(consolePageHeaders())
      .header('content-type', 'text/html; charset=utf-8')
      .send(
        renderMessage({
          csrf: cookie ? this.sessions.csrfToken(cookie) : '',
          actor: request[ACTOR_PROPERTY],
          title: TITLES[status] ?? 'Something went wrong',
          message,
          back: { href: '/console', text: 'Back to the console' },
        }),
      );
  }
}
