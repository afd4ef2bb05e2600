import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { createHttpAdapter, setupApp } from './app.setup';
import { createAppLogger } from './common/logging/app-logger';
import { InvalidConfigError, parseEnv } from './config/env.schema';
import { startLocalServices } from './config/local-services';

async function bootstrap(): Promise<void> {
  const local = await startLocalServices();
  // Validate before Nest starts so a bad deployment fails with one clear message, not a DI trace.
  const config = parseEnv(process.env);
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule,
    createHttpAdapter(config),
    {
      rawBody: true, // the Zoom webhook signature is computed over the exact bytes received
      logger: createAppLogger(config),
      abortOnError: false,
    },
  );
  await setupApp(app);
  app.enableShutdownHooks(); // SIGTERM: stop accepting, finish in-flight requests, close the database
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onClose', async () => local.stop());
  await app.listen(config.port, config.host);
  new Logger('Bootstrap').log(
    `Listening on ${config.baseUrl} (API docs at ${config.baseUrl}/docs)`,
  );
}

bootstrap().catch((error: unknown) => {
  if (error instanceof InvalidConfigError) {
    console.error(error.message);
  } else {
    console.error('Startup failed:', error);
  }
  process.exit(1);
});
