import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { AppConfig } from '../../config/app-config';
import { IS_PUBLIC } from './public.decorator';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * Every route needs an instructor key unless marked @Public(). Keys come as
 * `Authorization: Bearer <key>` or `X-API-Key: <key>`. Comparison hashes both sides to a fixed
 * length and checks every configured key, so timing reveals neither a key's length nor which
 * key matched.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly keyDigests: Buffer[];

  constructor(
    private readonly reflector: Reflector,
    config: AppConfig,
  ) {
    this.keyDigests = config.apiKeys.map(digest);
  }

  canActivate(context: ExecutionContext): boolean {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;

    const presented = extractKey(context.switchToHttp().getRequest<FastifyRequest>());
    if (presented === undefined) {
      throw new UnauthorizedException(
        'An instructor API key is required: send "Authorization: Bearer <key>" or "X-API-Key: <key>"',
      );
    }
    const candidate = digest(presented);
    let matched = false;
    for (const key of this.keyDigests) matched = timingSafeEqual(candidate, key) || matched;
    if (!matched) throw new UnauthorizedException('The API key is not valid');
    return true;
  }
}

/** The instructor key a request presents, from either header (the one rule for both). */
export function extractKey(request: FastifyRequest): string | undefined {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string' && header.trim() !== '') return header.trim();
  const authorization = request.headers.authorization;
  const match = typeof authorization === 'string' ? /^Bearer\s+(.+)$/i.exec(authorization) : null;
  return match ? match[1].trim() : undefined;
}
