import { ConsoleLogger, LogLevel } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';

const ORDER: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** Nest's console logger at the configured level; one JSON object per line in production. */
export function createAppLogger(config: Pick<AppConfig, 'logLevel' | 'logFormat'>): ConsoleLogger {
  const logLevels = ORDER.slice(0, ORDER.indexOf(config.logLevel) + 1);
  return new ConsoleLogger({
    json: config.logFormat === 'json',
    logLevels,
    colors: config.logFormat !== 'json',
  });
}
