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
 * Left on the request by the auth guard: checks again whether the request's credential (key or
 * session) is still valid. A response that stays open, the live results stream, calls it every
 * second and ends when it answers false, so a sign-out or a revoked key also ends open streams.
 */
export const RECHECK_PROPERTY = 'recheckCredential';
export type RequestWithRecheck = FastifyRequest & {
  [RECHECK_PROPERTY]?: () => Promise<boolean>;
};
