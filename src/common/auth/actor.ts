import {
  applyDecorators,
  createParamDecorator,
  ExecutionContext,
  SetMetadata,
} from '@nestjs/common';
import { ApiExtension, ApiForbiddenResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ErrorBodyDto } from '../errors/error-body';
import { ApiInstructorAuth } from './api-instructor-auth.decorator';

/**
 * Account roles, weakest first. An admin sees and does everything; an instructor owns their
 * questions and works in the meetings they host or were granted; an assistant reads participants
 * and results and may remind, in the meetings they were granted.
 */
export const ROLES = ['assistant', 'instructor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** True when `role` is at least `required`. */
export const hasRole = (role: Role, required: Role): boolean =>
  ROLES.indexOf(role) >= ROLES.indexOf(required);

/** Who a request acts for: resolved once by the auth guard from the key or console session. */
export interface Actor {
  /** The instructor's id; null for a bootstrap key from API_KEYS (an admin with no record). */
  instructorId: string | null;
  role: Role;
  name: string;
  email: string | null;
  zoomUserId: string | null;
  /** The credential's id (API key id or session id); null for a bootstrap key. */
  credentialId: string | null;
  /**
   * Names the credential in the audit log, never its secret part: an instructor key's visible
   * prefix; for a bootstrap key, a label derived from its hash (bootstrapKeyLabel in
   * bootstrap-keys.ts), since every character of such a key is secret.
   */
  keyPrefix: string;
  /**
   * When the key the request was made with expires; null for one that does not (a bootstrap key,
   * or an instructor key made without an expiry). A key its owner makes for themselves expires no
   * later (ApiKeysService.create).
   */
  credentialExpiresAt: Date | null;
}

/** Where the guard leaves the actor on the Fastify request. */
export const ACTOR_PROPERTY = 'actor';
export type RequestWithActor = FastifyRequest & { [ACTOR_PROPERTY]?: Actor };

export const REQUIRED_ROLE = 'requiredRole';
/** The OpenAPI extension that carries a route's role, read by the route x role matrix test. */
export const ROLE_EXTENSION = 'x-required-role';

/**
 * The one declaration of who may call a route: the weakest account role allowed. Documents the
 * key headers, 401 and 403 in OpenAPI and marks the operation with `x-required-role`. A route
 * that is neither @Public() nor @RequireRole(...) is refused by the guard (deny by default).
 * Meeting- and owner-level checks happen in the services on top of this.
 */
export const RequireRole = (role: Role) =>
  applyDecorators(
    SetMetadata(REQUIRED_ROLE, role),
    ApiExtension(ROLE_EXTENSION, role),
    ApiInstructorAuth(),
    ApiForbiddenResponse({
      type: ErrorBodyDto,
      description: `Needs the ${role} role or better (or the meeting's grant)`,
    }),
  );

/** The actor of the current request (only on routes that are not @Public()). */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext) => {
  const actor = context.switchToHttp().getRequest<RequestWithActor>()[ACTOR_PROPERTY];
  if (!actor) throw new Error('CurrentActor used on a route the auth guard did not resolve');
  return actor;
});
