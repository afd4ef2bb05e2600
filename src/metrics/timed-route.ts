import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { MetricsService } from './metrics.service';

/**
 * Route config key (set with `@RouteConfig({ [TIMED_ROUTE]: 'webhook_ack' })`) naming the latency
 * histogram a route's replies are timed into.
 */
export const TIMED_ROUTE = 'timedAs';

export type TimedRouteName = 'webhook_ack' | 'answer';

declare module 'fastify' {
  interface FastifyContextConfig {
    [TIMED_ROUTE]?: TimedRouteName;
  }
}

/**
 * Times the replies of the routes marked TIMED_ROUTE from the moment Fastify received the request
 * (`reply.elapsedTime`) to the moment the reply went out, whatever answered it: the signature hook,
 * a guard, the handler or an error filter. A Nest interceptor would start too late (after the
 * guards) and miss the refusals.
 */
@Injectable()
export class RequestTimingHook implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    // Fastify binds root hooks to every route when it becomes ready (after this).
    fastify?.addHook('onResponse', async (request, reply) => {
      const timed = request.routeOptions.config?.[TIMED_ROUTE];
      if (timed === 'webhook_ack')
        this.metrics.webhookAck(reply.elapsedTime / 1000, reply.statusCode);
      else if (timed === 'answer') this.metrics.answer(reply.elapsedTime / 1000, reply.statusCode);
    });
  }
}
