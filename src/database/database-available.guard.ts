import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { DatabaseAvailability } from './database-availability.service';
import { DatabaseUnavailableException } from './database-unavailable';

const WORKS_WITHOUT_DATABASE = 'worksWithoutDatabase';
type Exemption = true | ((request: FastifyRequest) => boolean);

/**
 * Marks a route that answers without the database (service info, the health probe), or, with a
 * predicate, the requests of a route that do (a webhook's URL validation).
 */
export const WorksWithoutDatabase = (when: Exemption = true) =>
  SetMetadata(WORKS_WITHOUT_DATABASE, when);

/**
 * Every route answers 503 with Retry-After at once while the database is known to be down,
 * instead of waiting for a server selection timeout: Zoom gives a webhook 3 s and then retries it
 * (docs/zoom.md §3), and a participant or instructor learns to try again in a moment.
 */
@Injectable()
export class DatabaseAvailableGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly database: DatabaseAvailability,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.database.available) return true;
    const exemption = this.reflector.getAllAndOverride<Exemption | undefined>(
      WORKS_WITHOUT_DATABASE,
      [context.getHandler(), context.getClass()],
    );
    if (exemption === true) return true;
    if (exemption?.(context.switchToHttp().getRequest<FastifyRequest>())) return true;
    throw new DatabaseUnavailableException();
  }
}
