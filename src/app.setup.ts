import helmet from '@fastify/helmet';
import { HttpStatus } from '@nestjs/common';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { API_KEY_SCHEME, BEARER_SCHEME } from './common/auth/api-instructor-auth.decorator';
import { documentCommonErrors } from './common/errors/document-common-errors';
import { ErrorBodyDto, FieldErrorDto, FileProblemDto } from './common/errors/error-body';
import {
  applyRouteBodyLimits,
  BODY_LIMIT_BYTES,
  CSV_BODY_LIMIT_BYTES,
} from './common/http/body-limit';
import { answerMethodNotAllowed } from './common/http/method-not-allowed';
import { SERVICE_NAME, SERVICE_VERSION } from './common/http/service-info';
import { AppConfig, type TrustProxy } from './config/app-config';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Fastify, not Express: the webhook and answer bursts are the hot paths (docs/architecture.md §1). */
export function createHttpAdapter(options: { trustProxy?: TrustProxy } = {}): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    // TRUST_PROXY: whose X-Forwarded-For makes request.ip (the per-address limits' key).
    trustProxy: options.trustProxy ?? false,
    // The longest path parameter: an email address (DELETE /api/people/{email}) is at most 254
    // characters; every id is shorter.
    routerOptions: { maxParamLength: 254 },
    // A path Fastify's router rejects before Nest sees it (malformed %-escape, a path parameter
    // over maxParamLength) answers 400 in the one error shape, not Fastify's.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const body: ErrorBodyDto = {
        statusCode: HttpStatus.BAD_REQUEST,
        error: 'Bad Request',
        message: error.code === 'FST_ERR_BAD_URL' ? 'Malformed URL' : 'Invalid path parameter',
      };
      void reply.status(body.statusCode).header('x-request-id', request.id).send(body);
    },
    // Keep a caller's request id when it is sane, so logs join up across services.
    genReqId: (req: IncomingMessage) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
  });
}

export function buildOpenApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Zoom Live Questions')
    .setDescription(
      'Push a live question to every participant of a running Zoom meeting and collect the answers. ' +
        'Instructor routes need an API key, sent as `X-API-Key: <key>` or `Authorization: Bearer <key>`. ' +
        'Each operation names the weakest role that may call it (`x-required-role`: assistant < instructor < admin); ' +
        'a key without it gets 403. `GET /api/me` says whom a key acts for.',
    )
    .setVersion(SERVICE_VERSION)
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, API_KEY_SCHEME)
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'The instructor API key' },
      BEARER_SCHEME,
    )
    .build();
  return documentCommonErrors(
    SwaggerModule.createDocument(app, config, {
      extraModels: [ErrorBodyDto, FieldErrorDto, FileProblemDto],
    }),
  );
}

/** Everything main.ts and the e2e tests must set up identically on the Nest application. */
export async function setupApp(app: NestFastifyApplication): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  answerMethodNotAllowed(fastify);
  applyRouteBodyLimits(fastify);
  // CSV uploads (a roster, a question bank) arrive as their text: a route that takes CSV reads
  // `@Body()` as a string and parses it with src/common/csv/csv-parse.ts. Over the limit: 413.
  // Routes that expect JSON refuse a string body with a 400 (the validation pipe).
  fastify.addContentTypeParser(
    'text/csv',
    { parseAs: 'string', bodyLimit: CSV_BODY_LIMIT_BYTES },
    (_request, body, done) => done(null, body),
  );

  // Served over plain http (an intranet host, development), browsers ignore COOP with a console
  // error, and upgrade-insecure-requests would send the page's own CSS, script and form post to an
  // https port that is not there: both only where BASE_URL is https.
  const https = new URL(app.get(AppConfig).baseUrl).protocol === 'https:';
  await app.register(helmet, {
    crossOriginOpenerPolicy: https,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // Swagger UI's own stylesheet sets inline styles; scripts stay same-origin only.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        scriptSrc: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: https ? [] : null,
      },
    },
  });

  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    customSiteTitle: `${SERVICE_NAME} API`,
    // No persistAuthorization: it keeps the API key in localStorage, readable by any script on
    // this origin, which also serves the public answer pages.
  });
}
