import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import {
  DATABASE_RETRY_AFTER_SECONDS,
  DATABASE_UNAVAILABLE_MESSAGE,
  isDatabaseUnavailable,
} from '../../database/database-unavailable';
import { ErrorBodyDto } from './error-body';

interface FrameworkError {
  statusCode?: number;
  code?: string;
  message?: string;
}

/**
 * The one place errors become responses. Nest's HttpExceptions keep their status and message;
 * Fastify's own 4xx (malformed JSON, body too large, bad content type) keep theirs; anything else
 * is logged with the request id and answered as a generic 500 that leaks nothing, except an
 * unreachable database: 503 with Retry-After, not logged per request (DatabaseAvailability logs
 * the outage once).
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const body = this.toBody(exception, request);
    if (reply.sent) return;
    if (isDatabaseUnavailable(exception)) {
      void reply.header('retry-after', DATABASE_RETRY_AFTER_SECONDS);
    }
    void reply
      .status(body.statusCode)
      .header('content-type', 'application/json; charset=utf-8')
      .send(body);
  }

  private toBody(exception: unknown, request: FastifyRequest): ErrorBodyDto {
    if (isDatabaseUnavailable(exception)) return databaseUnavailableBody();
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const body: ErrorBodyDto = {
        statusCode: status,
        error: reasonPhrase(status),
        message: exception.message,
      };
      if (typeof response === 'object' && response !== null) {
        const { message, details, error } = response as {
          message?: unknown;
          details?: ErrorBodyDto['details'];
          error?: unknown;
        };
        if (typeof message === 'string') body.message = message;
        else if (Array.isArray(message)) body.message = message.join('; ');
        if (typeof error === 'string' && status < 500) body.error = error;
        if (details !== undefined) body.details = details;
      }
      if (status >= 500) return this.internal(exception, request, status);
      return body;
    }

    const framework = exception as FrameworkError;
    if (
      typeof framework === 'object' &&
      framework !== null &&
      typeof framework.statusCode === 'number' &&
      framework.statusCode >= 400 &&
      framework.statusCode < 500
    ) {
      return {
        statusCode: framework.statusCode,
        error: reasonPhrase(framework.statusCode),
        message: frameworkMessage(framework),
      };
    }
    return this.internal(exception, request, HttpStatus.INTERNAL_SERVER_ERROR);
  }

  private internal(exception: unknown, request: FastifyRequest, status: number): ErrorBodyDto {
    const err = exception instanceof Error ? exception : new Error(String(exception));
    this.logger.error(
      `[${request.id}] ${request.method} ${request.url.split('?')[0]}: ${err.message}`,
      err.stack,
    );
    return {
      statusCode: status,
      error: reasonPhrase(status),
      message: 'Internal server error; quote the request id when reporting it',
      request_id: String(request.id),
    };
  }
}

/** The answer on every route while the database is unreachable (with Retry-After). */
export function databaseUnavailableBody(): ErrorBodyDto {
  return {
    statusCode: HttpStatus.SERVICE_UNAVAILABLE,
    error: reasonPhrase(HttpStatus.SERVICE_UNAVAILABLE),
    message: DATABASE_UNAVAILABLE_MESSAGE,
  };
}

function reasonPhrase(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

function frameworkMessage(error: FrameworkError): string {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return `Malformed JSON body: ${error.message ?? 'could not parse'}`;
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'Request body is larger than the 100 kB limit';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'Unsupported Content-Type: send application/json';
    default:
      return error.message ?? reasonPhrase(error.statusCode ?? 400);
  }
}
