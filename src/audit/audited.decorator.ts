import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { AuditAction } from './audit-actions';

export const AUDIT_ACTION = 'auditAction';
/** The OpenAPI extension naming the action a route records. */
export const AUDIT_EXTENSION = 'x-audit-action';

/**
 * The one declaration that a route is audited: the AuditInterceptor (registered for every route)
 * records `action` once the route has answered 2xx, and a 403 raised inside it as `denied`.
 * Where the target and meeting come from is declared with the action in audit-actions.ts.
 */
export const Audited = (action: AuditAction) =>
  applyDecorators(SetMetadata(AUDIT_ACTION, action), ApiExtension(AUDIT_EXTENSION, action));
