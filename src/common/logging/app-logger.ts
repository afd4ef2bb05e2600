import { ConsoleLogger, ConsoleLoggerOptions, LogLevel } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { Redactor } from './redactor';

const ORDER: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

type LoggerConfig = Pick<AppConfig, 'logLevel' | 'logFormat' | 'apiKeys' | 'zoom' | 'answers'>;

/**
 * Nest's console logger with every message, context and stack trace passed through a Redactor
 * first. Everything Nest and our code log goes through printMessages / printStackTrace, so this
 * is the one place secrets are removed, whatever the format (pretty or JSON).
 */
export class RedactingConsoleLogger extends ConsoleLogger {
  constructor(
    private readonly redactor: Redactor,
    options: ConsoleLoggerOptions,
  ) {
    super(options);
  }

  protected override printMessages(
    messages: unknown[],
    context?: string,
    logLevel?: LogLevel,
    writeStreamType?: 'stdout' | 'stderr',
    errorStack?: unknown,
  ): void {
    super.printMessages(
      messages.map((message) => this.redactor.value(message)),
      typeof context === 'string' ? this.redactor.text(context) : context,
      logLevel,
      writeStreamType,
      this.redactor.value(errorStack),
    );
  }

  protected override printStackTrace(stack: string): void {
    // Typed string, but Nest calls it with undefined when error() gets no stack: never throw here.
    super.printStackTrace(typeof stack === 'string' ? this.redactor.text(stack) : stack);
  }
}

/** The configured values that must never appear in a log line. */
export function configuredSecrets(
  config: Pick<AppConfig, 'apiKeys' | 'zoom' | 'answers'>,
): string[] {
  return [
    ...config.apiKeys,
    config.zoom.clientSecret,
    ...config.zoom.webhookSecretTokens,
    config.answers.tokenSecret,
  ];
}

/**
 * Nest's console logger at the configured level, with secrets redacted; one JSON object per line
 * in production.
 */
export function createAppLogger(config: LoggerConfig): ConsoleLogger {
  const logLevels = ORDER.slice(0, ORDER.indexOf(config.logLevel) + 1);
  return new RedactingConsoleLogger(new Redactor(configuredSecrets(config)), {
    json: config.logFormat === 'json',
    logLevels,
    colors: config.logFormat !== 'json',
  });
}
