import {
  CallHandler,
  ExecutionContext,
  HttpException,
  HttpStatus,
  Injectable,
  Logger,
  NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply } from 'fastify';
import { catchError, concatMap, from, Observable, switchMap, throwError } from 'rxjs';
import { ACTOR_PROPERTY, type RequestWithActor } from '../common/auth/actor';
import { IDEMPOTENT_REPLAYED_HEADER } from '../idempotency/idempotency.interceptor';
import {
  AUDIT_ACTIONS,
  type AuditAction,
  type AuditActionSpec,
  type AuditSource,
} from './audit-actions';
import { AuditService } from './audit.service';
import { AUDIT_ACTION } from './audited.decorator';

/** Longest id kept from a request or an answer; anything longer is not an id. */
const MAX_ID_LENGTH = 128;

/**
 * Records the action of every route marked @Audited() (docs/architecture.md §14). Runs after the
 * auth guard, so the actor is known; a request the guard refused (no key, role too weak) never
 * reaches a handler and is not recorded here. The entry is written before the answer goes out;
 * if it cannot be written the answer still goes out (the action has happened and cannot be
 * undone) and the failure is logged.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Audit');

  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const action = this.reflector.get<AuditAction | undefined>(AUDIT_ACTION, context.getHandler());
    if (action === undefined || context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<RequestWithActor>();
    const reply = http.getResponse<FastifyReply>();
    const spec: AuditActionSpec = AUDIT_ACTIONS[action];
    const sources = { param: request.params, body: request.body };

    const write = (outcome: 'succeeded' | 'denied', status: number, response: unknown) =>
      this.audit
        .record({
          action,
          outcome,
          status,
          actor: request[ACTOR_PROPERTY] ?? null,
          targetId: pick(spec.targetId, { ...sources, response }),
          meetingId: pick(spec.meetingId, { ...sources, response }),
          requestId: request.id,
          replayed: reply.getHeader(IDEMPOTENT_REPLAYED_HEADER) === 'true',
          details: spec.details
            ? numbersOf(valueAt(response, spec.details.split('.').slice(1)))
            : null,
        })
        .catch((error: Error) =>
          this.logger.error(`Audit entry ${action} not written: ${error.message}`),
        );

    return next.handle().pipe(
      concatMap(async (response: unknown) => {
        await write('succeeded', reply.statusCode, response);
        return response;
      }),
      catchError((error: unknown) => {
        const denied = error instanceof HttpException && error.getStatus() === 403;
        if (!denied) return throwError(() => error);
        return from(write('denied', HttpStatus.FORBIDDEN, undefined)).pipe(
          switchMap(() => throwError(() => error)),
        );
      }),
    );
  }
}

interface Sources {
  param: unknown;
  body: unknown;
  response: unknown;
}

/** The first id-like value (a short string or a number) the sources hold. */
function pick(paths: readonly AuditSource[] | undefined, sources: Sources): string | null {
  for (const path of paths ?? []) {
    const [root, ...rest] = path.split('.');
    const value = valueAt(sources[root as keyof Sources], rest);
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    if (typeof value === 'string' && value !== '' && value.length <= MAX_ID_LENGTH) return value;
  }
  return null;
}

/** The value at `parts` (`['broadcast', 'meeting_id']`) inside `root`, own properties only. */
function valueAt(root: unknown, parts: string[]): unknown {
  let value = root;
  for (const part of parts) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part))
      return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** The top-level numeric fields of an object: details never carry a string. */
function numbersOf(value: unknown): Record<string, number> | null {
  if (value === null || typeof value !== 'object') return null;
  const numbers = Object.entries(value).filter(
    (entry): entry is [string, number] => typeof entry[1] === 'number' && Number.isFinite(entry[1]),
  );
  return numbers.length > 0 ? Object.fromEntries(numbers) : null;
}
