import {
  applyDecorators,
  createParamDecorator,
  type ExecutionContext,
  SetMetadata,
  UseInterceptors,
} from '@nestjs/common';
import { ApiHeader, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { ErrorBodyDto } from '../common/errors/error-body';
import {
  IdempotencyInterceptor,
  type IdempotentFastifyRequest,
  WORK_KEY,
} from './idempotency.interceptor';
import { IDEMPOTENCY_KEY_PATTERN } from './idempotency.service';
import { REPLAY_CHECK, type ReplayCheck } from './replay-check';

/**
 * A route that creates a send takes an `Idempotency-Key` header (IdempotencyService has the
 * contract). `replay` is the route's access check, run again before a kept answer is replayed
 * (ReplayCheck). Documents the header and the 422 in OpenAPI.
 */
export const Idempotent = (replay: ReplayCheck) =>
  applyDecorators(
    SetMetadata(REPLAY_CHECK, replay),
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        "Makes the request safe to repeat: the same key with the same request within 24 h answers what the first one answered (same status and body, header `Idempotent-Replayed: true`) and sends nothing more, once the caller's access is checked again (refused as a new request would be). A repeat while the first is still running gets 409 with Retry-After. Keys are per API key and route; only successful answers are kept. 1 to 255 visible ASCII characters, e.g. a UUID.",
      schema: {
        type: 'string',
        pattern: IDEMPOTENCY_KEY_PATTERN.source,
        example: '3f9d7c2e-8a41-4b6e-9d0c-5e2f1a7b3c64',
      },
    }),
    ApiUnprocessableEntityResponse({
      type: ErrorBodyDto,
      description: 'The Idempotency-Key was already used with a different request',
    }),
  );

/**
 * The work key of this request's Idempotency-Key claim (IdempotencyClaim), or null when the
 * request has no key: for a route that records its work under it, so that a repeat whose first
 * answer was never kept finds that work instead of doing it again.
 */
export const IdempotencyWorkKey = createParamDecorator(
  (_: unknown, context: ExecutionContext): string | null =>
    context.switchToHttp().getRequest<IdempotentFastifyRequest>()[WORK_KEY] ?? null,
);
