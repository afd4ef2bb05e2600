import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { catchError, concatMap, from, map, Observable, switchMap, throwError } from 'rxjs';
import { ACTOR_PROPERTY, type RequestWithActor } from '../common/auth/actor';
import { extractKey } from '../common/auth/api-key.guard';
import { IdempotencyKeyInProgressException, IdempotencyService } from './idempotency.service';
import { type KeptRequest, REPLAY_CHECK, type ReplayCheck } from './replay-check';

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

  constructor(
    private readonly idempotency: IdempotencyService,
    private readonly reflector: Reflector,
    private readonly moduleRef: ModuleRef,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const key = IdempotencyService.validKey(request.headers[IDEMPOTENCY_KEY_HEADER]);
    if (key === undefined) return next.handle();

    const credential = extractKey(request) ?? '';
    const route = `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`;
    const claim = this.idempotency.claim({
      caller: createHash('sha256').update(credential).digest('hex'),
      route,
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
          // Access first: a caller refused now is refused, whatever they were answered before.
          return from(this.checkReplay(context, request, route)).pipe(
            map(() => {
              void reply.status(claimed.statusCode).header(IDEMPOTENT_REPLAYED_HEADER, 'true');
              return claimed.body;
            }),
          );
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

  /** Runs the route's ReplayCheck; throws what a fresh request by this caller would get now. */
  private async checkReplay(
    context: ExecutionContext,
    request: FastifyRequest,
    route: string,
  ): Promise<void> {
    const rule = this.reflector.get<ReplayCheck | undefined>(REPLAY_CHECK, context.getHandler());
    const actor = (request as RequestWithActor)[ACTOR_PROPERTY];
    if (!rule || !actor) throw new Error(`${route}: no replay check or actor for a replay`);
    const kept = { params: request.params ?? {}, body: request.body ?? {} } as KeptRequest;
    await rule.check(this.moduleRef.get(rule.uses, { strict: false }), actor, kept);
  }
}
