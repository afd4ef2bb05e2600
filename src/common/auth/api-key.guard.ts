import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  Logger,
  Optional,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
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
import { BootstrapKeys } from './bootstrap-keys';
import { IS_PUBLIC } from './public.decorator';
import {
  RECHECK_PROPERTY,
  SAFE_METHODS,
  SessionAuthenticator,
  type RequestWithRecheck,
} from './session-authenticator';

/**
 * The one auth check, for every route not marked @Public(). Resolves who the request acts for
 * (the Actor, left at `request.actor`) from the key sent as `Authorization: Bearer <key>` or
 * `X-API-Key: <key>`, or, without a key, from the console's session cookie (docs/architecture.md
 * §15; a state-changing request must then also pass the session's CSRF check), then enforces the
 * route's @RequireRole. A route with neither @Public() nor @RequireRole() is refused: forgetting
 * the declaration must not open a route.
 *
 * Keys are bootstrap admin keys from API_KEYS (BootstrapKeys), or instructor keys (`zlq_…`)
 * checked by ApiKeysService.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly logger = new Logger('Auth');
  private readonly bootstrapKeys: BootstrapKeys;

  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeysService,
    config: AppConfig,
    @Optional() private readonly sessions?: SessionAuthenticator,
  ) {
    this.bootstrapKeys = new BootstrapKeys(config.apiKeys);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const request = context.switchToHttp().getRequest<RequestWithActor & RequestWithRecheck>();
    const actor = await this.actorOf(request);
    request[ACTOR_PROPERTY] = actor;
    request[RECHECK_PROPERTY] = () => this.actorOf(request);

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

  private async actorOf(request: FastifyRequest): Promise<Actor> {
    const presented = extractKey(request);
    if (presented !== undefined) {
      return this.bootstrapKeys.actorFor(presented) ?? this.apiKeys.authenticate(presented);
    }
    const session = this.sessions ? await this.sessions.authenticate(request) : null;
    if (!session) {
      throw new UnauthorizedException(
        'An API key is required: send "Authorization: Bearer <key>" or "X-API-Key: <key>"',
      );
    }
    if (!SAFE_METHODS.has(request.method)) this.sessions?.checkCsrf(request);
    return session;
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
