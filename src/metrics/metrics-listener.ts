import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { AppConfig } from '../config/app-config';
import type { ErrorBodyDto } from '../common/errors/error-body';
import { MetricsService } from './metrics.service';

/**
 * With METRICS_PORT set, a second plain HTTP listener (on HOST) that serves `GET /metrics` and
 * nothing else, without a key: for a Prometheus on the private network, which must not hold an
 * admin key, and which still gets its scrape while the database is away. The port must not be
 * published beyond that network (deploy/docker-compose.prod.yml, docs/scaling.md).
 */
@Injectable()
export class MetricsListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Metrics');
  private server?: Server;

  constructor(
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.metricsPort === null) return;
    const server = createServer((request, response) => void this.answer(request, response));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.metricsPort ?? 0, this.config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.logger.log(`Metrics on http://${this.config.host}:${this.port()}/metrics (no key)`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The port listened on (METRICS_PORT, or the one chosen for 0), null when there is none. */
  port(): number | null {
    const address = this.server?.address();
    return address && typeof address === 'object' ? address.port : null;
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/metrics')
      return reply(response, 404, 'Not Found', 'Only /metrics is served here');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('allow', 'GET, HEAD');
      return reply(response, 405, 'Method Not Allowed', `${request.method} is not allowed here`);
    }
    try {
      const text = await this.metrics.render();
      response.writeHead(200, { 'content-type': this.metrics.contentType });
      response.end(request.method === 'HEAD' ? undefined : text);
    } catch (error) {
      this.logger.error(`Metrics could not be collected: ${(error as Error).message}`);
      reply(response, 500, 'Internal Server Error', 'Metrics could not be collected');
    }
  }
}

/** The service's one error body shape (src/common/errors/error-body.ts). */
function reply(response: ServerResponse, statusCode: number, error: string, message: string): void {
  const body: ErrorBodyDto = { statusCode, error, message };
  response.writeHead(statusCode, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}
