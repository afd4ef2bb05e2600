import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { catchError, concatMap, from, Observable, of, switchMap, throwError } from 'rxjs';
import { extractKey } from '../common/auth/api-key.guard';
import { IdempotencyKeyInProgressException, IdempotencyService } from './idempotency.service';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
/** Where the interceptor leaves a fresh claim's work key for the handler (@IdempotencyWorkKey). */
export const WORK_KEY = Symbol('idempotencyWorkKey');
export type IdempotentFastifyRequest = FastifyRequest & { [WORK_KEY]?: string };
/** Set on an answer repeated from the first request with the same key. */
export const IDEMPOTENT_REPLAYED_HEADER = 'idempotent-replayed';

/**
 * Applies IdempotencyService around a route (see the @Idempotent() decorator). Runs after the
 * key guard, so the caller is known; the key is scoped to the caller's credential (a hash of it)
 * and the route pattern. Without the header the route behaves as before.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Idempotency');

  constructor(private readonly idempotency: IdempotencyService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const key = IdempotencyService.validKey(request.headers[IDEMPOTENCY_KEY_HEADER]);
    if (key === undefined) return next.handle();

    const credential = extractKey(request) ?? '';
    const claim = this.idempotency.claim({
      caller: createHash('sha256').update(credential).digest('hex'),
      route: `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`,
      key,
      request: { params: request.params ?? null, body: request.body ?? null },
    });
    return from(claim).pipe(
      catchError((error: unknown) => {
        if (error instanceof IdempotencyKeyInProgressException) {
          void reply.header('retry-after', String(error.retryAfterSeconds));
        }
        return throwError(() => error);
      }),
      switchMap((claimed) => {
        if (claimed.kind === 'replay') {
          void reply.status(claimed.statusCode).header(IDEMPOTENT_REPLAYED_HEADER, 'true');
          return of(claimed.body);
        }
        (request as IdempotentFastifyRequest)[WORK_KEY] = claimed.workKey;
        return next.handle().pipe(
          catchError((error: unknown) =>
            from(this.idempotency.release(claimed.id).catch(() => undefined)).pipe(
              switchMap(() => throwError(() => error)),
            ),
          ),
          concatMap(async (body: unknown) => {
            // The work is done: its answer goes out even if it cannot be kept. A repeat then
            // finds the key in progress until its lock runs out.
            await this.idempotency
              .complete(claimed.id, reply.statusCode, body)
              .catch((error: Error) =>
                this.logger.warn(`Idempotency-Key result not kept: ${error.message}`),
              );
            return body;
          }),
        );
      }),
    );
  }
}
