import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { ErrorBodyDto } from '../common/errors/error-body';
import { ZoomApiError, ZoomInvalidRequestError } from './zoom-api.error';

/**
 * Answers a Zoom failure as 502 Bad Gateway in the common error shape, with Zoom's reason, code and
 * tracking id: the instructor must see *why* Zoom refused. (The global filter turns every 5xx into
 * a generic message, which is right for our own bugs but hides Zoom's answer.) A request refused
 * before reaching Zoom stays a 400, and Zoom's 404 (e.g. code 3001 "Meeting does not exist") is a
 * 404 here too: the id the client gave us names nothing in Zoom, which is the client's to fix, not
 * a gateway failure. Registered globally in AppModule, so every route that calls Zoom answers alike.
 */
@Catch(ZoomApiError)
export class ZoomApiErrorFilter implements ExceptionFilter<ZoomApiError> {
  private readonly logger = new Logger('Zoom');

  catch(error: ZoomApiError, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const local = error instanceof ZoomInvalidRequestError;
    const statusCode = local
      ? HttpStatus.BAD_REQUEST
      : error.status === 404
        ? HttpStatus.NOT_FOUND
        : HttpStatus.BAD_GATEWAY;
    this.logger.warn(
      `[${request.id}] ${request.method} ${request.url.split('?')[0]}: ${error.message}`,
    );
    const body: ErrorBodyDto = {
      statusCode,
      error: STATUS_CODES[statusCode] ?? 'Error',
      message: error.message,
      details: {
        zoom_status: error.status,
        zoom_code: error.code,
        zoom_message: error.zoomMessage,
        zoom_tracking_id: error.trackingId,
        retryable: error.retryable,
      },
    };
    if (reply.sent) return;
    void reply
      .status(statusCode)
      .header('content-type', 'application/json; charset=utf-8')
      .send(body);
  }
}
