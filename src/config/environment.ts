import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv as parseDotEnv } from 'node:util';
import { projectRoot } from '../common/project-root';

export type RawEnv = Record<string, string | undefined>;

/**
 * The variables the service is configured from: the process environment, over `.env` in the
 * project folder when there is one (a variable set in the environment wins, as with any dotenv
 * loader). Read only; nothing is written back to `process.env`.
 */
export function readEnvironment(
  env: NodeJS.ProcessEnv = process.env,
  dotEnvFile = join(projectRoot(), '.env'),
): RawEnv {
  const fromFile = existsSync(dotEnvFile) ? parseDotEnv(readFileSync(dotEnvFile, 'utf8')) : {};
  return { ...fromFile, ...env };
}
