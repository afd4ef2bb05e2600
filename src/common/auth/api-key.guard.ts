import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  Logger,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { AppConfig } from '../../config/app-config';
import { ApiKeysService } from '../../instructors/api-keys.service';
import {
  ACTOR_PROPERTY,
  type Actor,
  hasRole,
  REQUIRED_ROLE,
  type RequestWithActor,
  type Role,
} from './actor';
import { IS_PUBLIC } from './public.decorator';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** How many characters of a bootstrap key identify it in the audit log (actor.ts). */
const BOOTSTRAP_PREFIX_LENGTH = 6;

/**
 * The one auth check, for every route not marked @Public(). Resolves who the request acts for
 * (the Actor, left at `request.actor`) from the key sent as `Authorization: Bearer <key>` or
 * `X-API-Key: <key>`, then enforces the route's @RequireRole. A route with neither @Public() nor
 * @RequireRole() is refused: forgetting the declaration must not open a route.
 *
 * Keys are bootstrap admin keys from API_KEYS, or instructor keys (`zlq_…`) checked by
 * ApiKeysService. Bootstrap keys are compared by hashing both sides to a fixed length and
 * checking every configured key, so timing reveals neither a key's length nor which one matched.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly logger = new Logger('Auth');
  private readonly bootstrapKeys: Array<{ digest: Buffer; prefix: string }>;

  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeysService,
    config: AppConfig,
  ) {
    this.bootstrapKeys = config.apiKeys.map((key) => ({
      digest: digest(key),
      prefix: key.slice(0, BOOTSTRAP_PREFIX_LENGTH),
    }));
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const request = context.switchToHttp().getRequest<RequestWithActor>();
    const presented = extractKey(request);
    if (presented === undefined) {
      throw new UnauthorizedException(
        'An API key is required: send "Authorization: Bearer <key>" or "X-API-Key: <key>"',
      );
    }
    const actor = this.bootstrapActor(presented) ?? (await this.apiKeys.authenticate(presented));
    request[ACTOR_PROPERTY] = actor;

    const required = this.reflector.getAllAndOverride<Role | undefined>(REQUIRED_ROLE, targets);
    if (required === undefined) {
      const route = `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`;
      this.logger.error(
        `${route} declares neither @RequireRole nor @Public: refused to everyone until it does`,
      );
      throw new ForbiddenException('This route is not open to any role');
    }
    if (!hasRole(actor.role, required)) {
      throw new ForbiddenException(
        `This needs the ${required} role or better; this key's role is ${actor.role}`,
      );
    }
    return true;
  }

  private bootstrapActor(presented: string): Actor | undefined {
    const candidate = digest(presented);
    let matched: string | undefined;
    for (const key of this.bootstrapKeys) {
      // Every key is compared, whichever matches: no early exit to time.
      if (timingSafeEqual(candidate, key.digest)) matched = key.prefix;
    }
    if (matched === undefined) return undefined;
    return {
      instructorId: null,
      role: 'admin',
      name: 'Bootstrap key',
      email: null,
      zoomUserId: null,
      credentialId: null,
      keyPrefix: matched,
    };
  }
}

/** The API key a request presents, from either header (the one rule for both). */
export function extractKey(request: FastifyRequest): string | undefined {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string' && header.trim() !== '') return header.trim();
  const authorization = request.headers.authorization;
  const match = typeof authorization === 'string' ? /^Bearer\s+(.+)$/i.exec(authorization) : null;
  return match ? match[1].trim() : undefined;
}
