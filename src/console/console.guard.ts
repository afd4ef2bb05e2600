import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  ACTOR_PROPERTY,
  hasRole,
  REQUIRED_ROLE,
  type RequestWithActor,
  type Role,
} from '../common/auth/actor';
import { readCookie } from './console-cookies';
import { SessionsService } from './sessions.service';

/** Thrown for a console page without a live session: the filter redirects to the sign-in form. */
export class SignInRequiredException extends Error {
  constructor() {
    super('Sign in to the console');
  }
}

const SIGNED_OUT_OK = 'consoleSignedOutOk';
/** The sign-in form and its post: open without a session (they carry their own CSRF check). */
export const SignedOutOk = () => SetMetadata(SIGNED_OUT_OK, true);

/**
 * The console's pages are @Public() for the API-key guard (a browser has no key) and guarded
 * here instead: the session cookie resolves to the Actor (request.actor, as on /api routes); a
 * state-changing request must pass the CSRF check (same origin, the session's token); the route's
 * @RequireRole applies as on the API.
 */
@Injectable()
export class ConsoleGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(SIGNED_OUT_OK, targets)) return true;
    const request = context.switchToHttp().getRequest<RequestWithActor>();
    const actor = await this.sessions.resolve(readCookie(request, this.sessions.cookies.session));
    if (!actor) throw new SignInRequiredException();
    request[ACTOR_PROPERTY] = actor;
    this.sessions.checkCsrf(request);
    const required = this.reflector.getAllAndOverride<Role | undefined>(REQUIRED_ROLE, targets);
    if (required === undefined) throw new ForbiddenException('This page is not open to any role');
    if (!hasRole(actor.role, required)) {
      throw new ForbiddenException(
        `This needs the ${required} role or better; yours is ${actor.role}`,
      );
    }
    return true;
  }
}
