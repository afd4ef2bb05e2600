import { ModuleMetadata } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test, TestingModuleBuilder } from '@nestjs/testing';
import { AppModule } from '../../src/app.module';
import { createHttpAdapter, setupApp } from '../../src/app.setup';
import { AppConfig } from '../../src/config/app-config';
import { parseEnv } from '../../src/config/env.schema';
import { testMongoUri } from './database';

export const TEST_API_KEY = 'test-instructor-key-0123456789';
export const TEST_API_KEY_2 = 'rotated-instructor-key-abcdefghij';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  /** http://127.0.0.1:PORT of the listening app (real HTTP, for supertest, fetch or a browser). */
  url: string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Environment variables on top of the test defaults (same names as production). */
  env?: Record<string, string>;
  /** Database name prefix; defaults to a random one per app. */
  name?: string;
  /** Extra override hook for the rare test that must replace a provider. */
  customize?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
  /** Extra modules mounted beside AppModule (a test-only controller, for instance). */
  imports?: ModuleMetadata['imports'];
}

/**
 * The real AppModule, the real HTTP stack (Fastify, pipes, guards, filters, Swagger) and a real
 * database of its own, listening on a free port. Only the configuration is test-specific.
 */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const config = parseEnv({
    NODE_ENV: 'test',
    PORT: '0',
    // A database given by the caller (a second instance, a bench) needs no test server's name.
    MONGO_URI: options.env?.MONGO_URI ?? testMongoUri(options.name ?? 'app'),
    API_KEYS: `${TEST_API_KEY},${TEST_API_KEY_2}`,
    LOG_LEVEL: 'error',
    ZOOM_WEBHOOK_SECRET_TOKEN: 'test-webhook-secret',
    ...options.env,
  });
  let builder = Test.createTestingModule({
    imports: [AppModule.forRoot(config), ...(options.imports ?? [])],
  });
  if (options.customize) builder = options.customize(builder);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createHttpAdapter(config), {
    rawBody: true,
    logger: ['error'],
  });
  await setupApp(app);
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  const normalized = url.replace('[::1]', '127.0.0.1').replace('localhost', '127.0.0.1');
  config.baseUrl = options.env?.BASE_URL ?? normalized;
  return {
    app,
    config,
    url: normalized,
    close: async () => {
      await app.close();
    },
  };
}
