import type { FastifyInstance } from 'fastify';
import type { ErrorBodyDto } from '../errors/error-body';

interface KnownPath {
  pattern: RegExp;
  methods: Set<string>;
}

/** `/api/questions/:id` -> /^\/api\/questions\/[^/]+$/ (Fastify path syntax: `:param`, `*`). */
function pathPattern(url: string): RegExp {
  const source = url
    .split('/')
    .map((part) =>
      part.startsWith(':')
        ? '[^/]+'
        : part === '*'
          ? '.*'
          : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('/');
  return new RegExp(`^${source}$`);
}

/**
 * A request for a path that exists, with a method it does not support, answers 405 with an
 * `Allow` header (RFC 9110 §15.5.6) in the one error shape, instead of the 404 Nest gives for any
 * unmatched request, or the answer of a parametric route that happens to match a fixed path's
 * name. Call before the routes are registered: they are collected as they are added.
 */
export function answerMethodNotAllowed(fastify: FastifyInstance): void {
  const known = new Map<string, KnownPath>();
  fastify.addHook('onRoute', (route) => {
    const entry = known.get(route.url) ?? { pattern: pathPattern(route.url), methods: new Set() };
    for (const method of Array.isArray(route.method) ? route.method : [route.method]) {
      entry.methods.add(method.toUpperCase());
    }
    known.set(route.url, entry);
  });

  fastify.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0];
    // A fixed path's own methods are the whole answer for it: a parametric route that happens to
    // match its name (PUT /api/questions/:id for /api/questions/export) is another resource.
    const fixed = /[:*]/.test(path) ? undefined : known.get(path);
    const matched = request.routeOptions.url;
    if (matched !== undefined && (!matched.includes(':') || !fixed)) return; // a route matched
    const allowed = new Set<string>();
    if (fixed) {
      for (const method of fixed.methods) allowed.add(method);
    } else {
      for (const { pattern, methods } of known.values()) {
        if (pattern.test(path)) for (const method of methods) allowed.add(method);
      }
    }
    if (allowed.size === 0 || allowed.has(request.method)) return; // a plain 404
    const allow = [...allowed].sort().join(', ');
    const body: ErrorBodyDto = {
      statusCode: 405,
      error: 'Method Not Allowed',
      message: `${request.method} is not supported here; allowed: ${allow}`,
    };
    return reply.status(405).header('allow', allow).send(body);
  });
}
