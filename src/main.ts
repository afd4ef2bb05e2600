import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { createHttpAdapter, setupApp } from './app.setup';
import { createAppLogger } from './common/logging/app-logger';
import { AppConfig } from './config/app-config';
import { InvalidConfigError, parseEnv } from './config/env.schema';
import { readEnvironment } from './config/environment';

/**
 * Boots the application with the given configuration. The production entry (below) passes the
 * environment's; the development entry (src/dev/main.ts) passes one pointing at the local
 * database and Zoom simulator it started, and `onClose` to stop them with the app.
 */
export async function bootstrap(
  config: AppConfig,
  onClose: () => Promise<void> = async () => {},
): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    createHttpAdapter(config),
    {
      rawBody: true, // the Zoom webhook signature is computed over the exact bytes received
      logger: createAppLogger(config),
      abortOnError: false,
    },
  );
  await setupApp(app);
  app.enableShutdownHooks(); // SIGTERM: stop accepting, finish in-flight requests, close the database
  app.getHttpAdapter().getInstance().addHook('onClose', onClose);
  await app.listen(config.port, config.host);
  new Logger('Bootstrap').log(
    `Listening on ${config.baseUrl} (API docs at ${config.baseUrl}/docs)`,
  );
  return app;
}

/** Prints why the service cannot start, without a stack trace when the reason is the config. */
export function exitOnStartupError(error: unknown): never {
  if (error instanceof InvalidConfigError) {
    console.error(error.message);
  } else {
    console.error('Startup failed:', error);
  }
  process.exit(1);
}

if (require.main === module) {
  // Validate before Nest starts so a bad deployment fails with one clear message, not a DI trace.
  Promise.resolve()
    .then(() => bootstrap(parseEnv(readEnvironment())))
    .catch(exitOnStartupError);
}
