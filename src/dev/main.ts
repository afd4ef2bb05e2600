/**
 * The development entry (`npm run dev`): starts what a developer's machine lacks (the local
 * MongoDB-wire server, the Zoom simulator, an API key; see dev-services.ts), then boots the
 * normal application (src/main.ts) with a configuration pointing at them. Production runs
 * src/main.ts directly and never loads this file or anything under tools/.
 */
import { Logger } from '@nestjs/common';
import { InvalidConfigError, parseEnv } from '../config/env.schema';
import { readEnvironment } from '../config/environment';
import { bootstrap, exitOnStartupError } from '../main';
import { seedDevAdmin } from './dev-seed';
import { DevDataInUseError, startDevServices } from './dev-services';

async function main(): Promise<void> {
  const env = readEnvironment();
  if ((env.NODE_ENV ?? 'development') === 'production') {
    throw new InvalidConfigError([
      'NODE_ENV=production: the development entry (npm run dev) does not run in production; use npm start',
    ]);
  }
  const services = await startDevServices(env);
  try {
    const app = await bootstrap(parseEnv(services.env), () => services.stop());
    await seedDevAdmin(app);
  } catch (error) {
    await services.stop();
    const code = (error as { code?: unknown }).code;
    if (code === 'EADDRINUSE') {
      const port = services.env.PORT || '3000';
      new Logger('Dev').error(
        `Port ${port} is in use (another \`npm run dev\`?): run this one with PORT=<free port> npm run dev`,
      );
      process.exit(1);
    }
    throw error;
  }
}

main().catch((error: unknown) => {
  if (error instanceof DevDataInUseError) {
    new Logger('Dev').error(error.message);
    process.exit(1);
  }
  exitOnStartupError(error);
});
