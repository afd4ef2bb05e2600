import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';

/**
 * The largest request body the service reads, in bytes: Fastify's parser (app.setup.ts) and the
 * webhook's raw-body reader (webhook-signature.hook.ts) both enforce it. Zoom webhooks and answer
 * submissions are small JSON documents; anything larger is a mistake or an attack.
 */
export const BODY_LIMIT_BYTES = 100 * 1024;

/**
 * The largest CSV upload (a roster, a question bank import; issue 18), in bytes: a term's roster
 * of a few thousand students or a bank of a few thousand questions fits with room to spare.
 */
export const CSV_BODY_LIMIT_BYTES = 2 * 1024 * 1024;

/** The route config key a route's own body limit travels in (BodyLimit, applyRouteBodyLimits). */
const ROUTE_BODY_LIMIT = 'bodyLimit';

/**
 * A larger body limit for one route (a question bank import), in bytes, whatever its media type:
 * Fastify reads a route's `bodyLimit` before any parser's. Nest passes only a route's `config`
 * to Fastify, so the limit travels there and applyRouteBodyLimits moves it into place.
 */
export const BodyLimit = (bytes: number): MethodDecorator =>
  RouteConfig({ [ROUTE_BODY_LIMIT]: bytes });

/** Call before the routes are registered (setupApp): they are adjusted as they are added. */
export function applyRouteBodyLimits(fastify: FastifyInstance): void {
  fastify.addHook('onRoute', (route) => {
    const limit = (route.config as Record<string, unknown> | undefined)?.[ROUTE_BODY_LIMIT];
    if (typeof limit === 'number') route.bodyLimit = limit;
  });
}
