import type { Type } from '@nestjs/common';
import type { Actor } from '../common/auth/actor';

/**
 * The request a kept answer was given to, as it came in: path parameters and body before the
 * route's pipes (the first request with the same key passed them, and a replay has the same ones).
 */
export interface KeptRequest {
  params: Record<string, string>;
  body: Record<string, unknown>;
}

/**
 * The access check a route runs again before its kept answer is replayed: a replay is refused
 * exactly as a fresh request by the same caller would be now (a meeting grant revoked since: 403
 * with the reason), never answered from the store. `check` throws that refusal; `uses` is the
 * service it calls, which the route's module provides (the idempotency module knows none).
 */
export interface ReplayCheck<S = unknown> {
  uses: Type<S>;
  check: (service: S, actor: Actor, request: KeptRequest) => Promise<unknown>;
}

export const replayCheck = <S>(uses: Type<S>, check: ReplayCheck<S>['check']): ReplayCheck =>
  ({ uses, check }) as ReplayCheck;

/** Where @Idempotent() leaves the route's ReplayCheck for the interceptor. */
export const REPLAY_CHECK = 'idempotentReplayCheck';
