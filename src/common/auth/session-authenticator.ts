import type { FastifyRequest } from 'fastify';
import type { Actor } from './actor';

/**
 * The hook through which the auth guard accepts the console's session cookie on /api routes
 * (docs/architecture.md §15), so the console's pages and the browser's EventSource can call the
 * API without a key in the browser. Provided by the console module (SessionsService); the guard
 * works without it (keys only).
 */
export abstract class SessionAuthenticator {
  /**
   * The actor of the request's session cookie; null when it carries none. A cookie that is
   * unknown, signed out, expired, or whose key was revoked also answers null: the caller then
   * refuses with 401 as for a missing key.
   */
  abstract authenticate(request: FastifyRequest): Promise<Actor | null>;

  /**
   * For a state-changing request authenticated by the cookie: throws 403 unless it comes from
   * this origin (Origin header) and carries the session's CSRF token (`x-csrf-token` header or
   * `_csrf` form field).
   */
  abstract checkCsrf(request: FastifyRequest): void;
}

/** Methods that change nothing, so need no CSRF token (RFC 9110 §9.2.1). */
export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Left on the request by the auth guard: resolves the request's credential (key or session) again
 * and answers the actor it acts for now (its role and account as they are now), or rejects with
 * the 401 the guard would give. A response that stays open, the live results stream, calls it
 * every second, checks its meeting access for that actor too, and ends on a refusal, so a
 * sign-out, a revoked key, a disabled account or a withdrawn grant also ends open streams.
 */
export const RECHECK_PROPERTY = 'recheckCredential';
export type RequestWithRecheck = FastifyRequest & {
  [RECHECK_PROPERTY]?: () => Promise<Actor>;
};
