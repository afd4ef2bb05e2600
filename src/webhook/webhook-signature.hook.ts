import {
  Injectable,
  Logger,
  OnModuleInit,
  PayloadTooLargeException,
  UnauthorizedException,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PassThrough, Readable } from 'node:stream';
import { BODY_LIMIT_BYTES } from '../common/http/body-limit';
import { AppConfig } from '../config/app-config';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyZoomSignature } from './webhook-signature';

/** Route config flag (set with @RouteConfig) marking the routes this hook guards. */
export const ZOOM_SIGNED_ROUTE = 'zoomSigned';

declare module 'fastify' {
  interface FastifyContextConfig {
    [ZOOM_SIGNED_ROUTE]?: boolean;
  }
}

/** The secret that verified each request: the url_validation answer must use that one. */
const verifiedSecrets = new WeakMap<object, string>();

export function verifiedSecretOf(request: object): string | undefined {
  return verifiedSecrets.get(request);
}

/**
 * Checks Zoom's signature before Fastify parses the body. A guard or the controller would run
 * only after JSON parsing, so a malformed body would answer 400 to anyone, unsigned; here an
 * unsigned or badly signed request is a 401 whatever its body, and only a correctly signed one
 * reaches the JSON parser (malformed: 400) and then the controller. The hook reads the exact
 * bytes received (docs/zoom.md §3) and hands the parser an identical stream.
 */
@Injectable()
export class WebhookSignatureHook implements OnModuleInit {
  private readonly logger = new Logger(WebhookSignatureHook.name);

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    // Fastify binds root hooks to every route when it becomes ready (after this), so registering
    // here still covers the routes Nest has already added.
    fastify.addHook('preParsing', async (request, _reply, payload) => {
      if (request.routeOptions.config?.[ZOOM_SIGNED_ROUTE] !== true) return payload;
      return this.verify(request, payload);
    });
  }

  private async verify(request: FastifyRequest, payload: Readable): Promise<Readable> {
    const secrets = this.config.zoom.webhookSecretTokens;
    if (secrets.length === 0) {
      this.logger.warn('Zoom webhook refused: ZOOM_WEBHOOK_SECRET_TOKEN is not configured');
      throw new UnauthorizedException('Zoom webhooks are not configured on this server');
    }
    const rawBody = await readAll(payload, BODY_LIMIT_BYTES);
    const check = verifyZoomSignature({
      secrets,
      signature: header(request, SIGNATURE_HEADER),
      timestamp: header(request, TIMESTAMP_HEADER),
      rawBody,
      nowMs: Date.now(),
      toleranceSeconds: this.config.zoom.webhookToleranceSeconds,
    });
    if (!check.ok) {
      this.logger.warn(`[${request.id}] Zoom webhook rejected: ${check.reason}`);
      throw new UnauthorizedException(`Zoom webhook rejected: ${check.reason}`);
    }
    verifiedSecrets.set(request, check.secret);
    const replay = new PassThrough();
    replay.end(rawBody);
    return replay;
  }
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readAll(stream: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk), 'utf8');
    size += buffer.length;
    if (size > limit) {
      throw new PayloadTooLargeException(
        `Request body is larger than the ${limit / 1024} kB limit`,
      );
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, size);
}
