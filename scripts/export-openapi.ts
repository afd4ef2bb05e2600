/**
 * Writes the OpenAPI document to openapi.json (`npm run openapi`; also run by `npm run build`),
 * so the API contract is an artefact that code review sees change and clients can be generated
 * from without running the service. CI fails when the committed file is not what the code says.
 *
 * The application is created in Nest's preview mode: modules and controllers are scanned (all
 * Swagger needs) but no provider is instantiated, so no configuration is read, no database is
 * connected and no port is opened.
 */
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppModule } from '../src/app.module';
import { buildOpenApiDocument, createHttpAdapter } from '../src/app.setup';
import { AppConfig } from '../src/config/app-config';
import { projectRoot } from '../src/common/project-root';

/** Object keys sorted at every level (arrays keep their order): the file diffs cleanly. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}

async function main(): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(
    // Preview mode never reads the configuration: an empty one stands in.
    AppModule.forRoot(new AppConfig()),
    createHttpAdapter(),
    {
      preview: true,
      logger: false,
      abortOnError: false,
    },
  );
  const document = buildOpenApiDocument(app);
  await app.close();
  const file = process.argv[2] ?? join(projectRoot(), 'openapi.json');
  writeFileSync(file, `${JSON.stringify(sortKeys(document), null, 2)}\n`);
  process.stdout.write(
    `openapi: wrote ${file} (${Object.keys(document.paths).length} paths, version ${document.info.version})\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`openapi: export failed: ${String(error)}\n`);
  process.exit(1);
});
