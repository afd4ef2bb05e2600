import { isIP } from 'node:net';
import { AppConfig, NodeEnv, TrustProxy } from './app-config';
import type { RawEnv } from './environment';

/** Thrown at boot with one line per bad variable, so a deployment error is fixed in one pass. */
export class InvalidConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'InvalidConfigError';
  }
}

/**
 * Every variable the service reads, with its default. `.env.example` documents each one and a
 * test keeps the two in step.
 */
export const ENV_DEFAULTS: Readonly<Record<string, string>> = {
  NODE_ENV: 'development',
  PORT: '3000',
  HOST: '0.0.0.0',
  TRUST_PROXY: '',
  METRICS_PORT: '',
  MONGO_URI: '',
  BASE_URL: '',
  API_KEYS: '',
  LOG_LEVEL: 'log',
  LOG_FORMAT: '',
  ZOOM_ACCOUNT_ID: '',
  ZOOM_CLIENT_ID: '',
  ZOOM_CLIENT_SECRET: '',
  ZOOM_WEBHOOK_SECRET_TOKEN: '',
  ZOOM_WEBHOOK_SECRET_TOKEN_NEXT: '',
  ZOOM_WEBHOOK_TOLERANCE_SECONDS: '5400',
  ZOOM_CHAT_SENDER: '',
  ZOOM_API_BASE_URL: 'https://api.zoom.us/v2',
  ZOOM_OAUTH_URL: 'https://zoom.us/oauth/token',
  ZOOM_RATE_LIMIT_LIGHT: '30',
  ZOOM_RATE_LIMIT_MEDIUM: '20',
  ZOOM_RATE_LIMIT_HEAVY: '10',
  ZOOM_RATE_BUDGET: 'shared',
  ZOOM_MAX_IN_FLIGHT: '20',
  ZOOM_MAX_ATTEMPTS: '6',
  ZOOM_HTTP_TIMEOUT_MS: '10000',
  ZOOM_SIMULATED: 'false',
  SEND_WAIT_SECONDS: '20',
  DELIVERY_LEASE_SECONDS: '30',
  DELIVERY_CONCURRENCY: '20',
  DELIVERY_POLL_INTERVAL_MS: '1000',
  ANSWER_TOKEN_SECRET: '',
  DELIVERY_MAX_ATTEMPTS: '3',
  ANSWER_GRACE_SECONDS: '2',
  SPEED_SCORING: 'true',
  ANSWERS_PER_LINK_PER_ADDRESS: '5',
  DATA_RETENTION_DAYS: '',
  RUNS_SWEEP_INTERVAL_MS: '3000',
};

class Reader {
  readonly problems: string[] = [];
  constructor(private readonly raw: RawEnv) {}

  str(name: string): string {
    const value = this.raw[name];
    return (value === undefined || value.trim() === '' ? ENV_DEFAULTS[name] : value.trim()) ?? '';
  }

  int(name: string, min: number, max: number): number {
    const text = this.str(name);
    const value = Number(text);
    if (!/^-?\d+$/.test(text) || value < min || value > max) {
      this.problems.push(`${name} must be an integer from ${min} to ${max} (got "${text}")`);
      return min;
    }
    return value;
  }

  bool(name: string): boolean {
    const text = this.str(name).toLowerCase();
    if (['true', '1', 'yes'].includes(text)) return true;
    if (['false', '0', 'no'].includes(text)) return false;
    this.problems.push(`${name} must be true or false (got "${text}")`);
    return false;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[]): T {
    const text = this.str(name) as T;
    if (!allowed.includes(text)) {
      this.problems.push(`${name} must be one of ${allowed.join(', ')} (got "${text}")`);
      return allowed[0];
    }
    return text;
  }

  url(name: string, protocols: string[]): string {
    const text = this.str(name);
    try {
      const url = new URL(text);
      if (!protocols.includes(url.protocol)) throw new Error('protocol');
      return text.replace(/\/+$/, '');
    } catch {
      this.problems.push(`${name} must be a ${protocols.join(' or ')} URL (got "${text}")`);
      return text;
    }
  }

  host(name: string): string {
    const text = this.str(name);
    if (
      isIP(text) === 0 &&
      !/^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/.test(
        text,
      )
    ) {
      this.problems.push(`${name} must be an IP address or a host name (got "${text}")`);
    }
    return text;
  }

  /**
   * Fastify's `trustProxy`, restricted to the forms that name who is trusted: off, a hop count,
   * or addresses / CIDR ranges (and proxy-addr's `loopback`, `linklocal`, `uniquelocal`). `true`
   * (believe any X-Forwarded-For) is refused: any client could then pick its own address.
   */
  trustProxy(name: string): TrustProxy {
    const text = this.str(name);
    if (text === '' || text.toLowerCase() === 'false' || text === '0') return false;
    if (/^\d{1,2}$/.test(text)) return Number(text);
    const entries = this.list(name);
    const valid = entries.every((entry) => {
      if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return true;
      const [address, prefix, extra] = entry.split('/');
      const family = isIP(address ?? '');
      if (family === 0 || extra !== undefined) return false;
      if (prefix === undefined) return true;
      return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
    });
    if (!valid || entries.length === 0) {
      this.problems.push(
        `${name} must be a hop count (1-99) or a comma list of proxy addresses / CIDR ranges (got "${text}")`,
      );
      return false;
    }
    return entries;
  }

  list(name: string): string[] {
    return this.str(name)
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0);
  }
}

/** Builds the typed configuration, or throws InvalidConfigError naming every bad variable. */
export function parseEnv(raw: RawEnv): AppConfig {
  const env = new Reader(raw);
  const nodeEnv = env.oneOf<NodeEnv>('NODE_ENV', ['development', 'test', 'production']);
  const production = nodeEnv === 'production';
  const port = env.int('PORT', 0, 65535);
  const host = env.host('HOST');
  const trustProxy = env.trustProxy('TRUST_PROXY');
  // Unset: metrics only as the admins' GET /metrics. 0 picks a free port (tests).
  const metricsPort = env.str('METRICS_PORT') === '' ? null : env.int('METRICS_PORT', 0, 65535);
  if (metricsPort !== null && metricsPort !== 0 && metricsPort === port) {
    env.problems.push(`METRICS_PORT must differ from PORT (both are ${port})`);
  }

  const mongoUri = env.str('MONGO_URI');
  if (mongoUri === '') {
    env.problems.push(
      production
        ? 'MONGO_URI is required in production'
        : 'MONGO_URI is empty (set it, or use `npm run dev`, which starts a local database)',
    );
  } else if (!/^mongodb(\+srv)?:\/\//.test(mongoUri)) {
    env.problems.push('MONGO_URI must start with mongodb:// or mongodb+srv://');
  }

  const baseUrlText = env.str('BASE_URL');
  const baseUrl =
    baseUrlText === ''
      ? production
        ? (env.problems.push('BASE_URL is required in production (answer links are built from it)'),
          '')
        : `http://localhost:${port}`
      : env.url('BASE_URL', ['http:', 'https:']);

  const apiKeys = env.list('API_KEYS');
  if (apiKeys.length === 0) env.problems.push('API_KEYS must hold at least one instructor key');
  for (const key of apiKeys) {
    if (key.length < 16) {
      // Never echo the key itself: only its position.
      env.problems.push(
        `API_KEYS entry #${apiKeys.indexOf(key) + 1} is shorter than 16 characters`,
      );
    }
  }

  const zoomNames = ['ZOOM_ACCOUNT_ID', 'ZOOM_CLIENT_ID', 'ZOOM_CLIENT_SECRET', 'ZOOM_CHAT_SENDER'];
  const webhookSecrets = [
    env.str('ZOOM_WEBHOOK_SECRET_TOKEN'),
    env.str('ZOOM_WEBHOOK_SECRET_TOKEN_NEXT'),
  ];
  let answerTokenSecret = env.str('ANSWER_TOKEN_SECRET');
  if (answerTokenSecret === '' && !production) {
    // A fixed development secret keeps links valid across dev restarts; production must set its own.
    answerTokenSecret = 'development-only-answer-token-secret';
  } else if (answerTokenSecret.length < 32) {
    env.problems.push(
      'ANSWER_TOKEN_SECRET must be at least 32 characters (answer links are derived from it)',
    );
  }
  if (production) {
    for (const name of [...zoomNames, 'ZOOM_WEBHOOK_SECRET_TOKEN']) {
      if (env.str(name) === '') env.problems.push(`${name} is required in production`);
    }
  }

  const config = Object.assign(new AppConfig(), {
    nodeEnv,
    port,
    host,
    trustProxy,
    metricsPort,
    baseUrl,
    mongoUri,
    apiKeys,
    logLevel: env.oneOf('LOG_LEVEL', ['error', 'warn', 'log', 'debug', 'verbose'] as const),
    logFormat:
      env.str('LOG_FORMAT') === ''
        ? production
          ? 'json'
          : 'pretty'
        : env.oneOf('LOG_FORMAT', ['json', 'pretty'] as const),
    zoom: {
      accountId: env.str('ZOOM_ACCOUNT_ID'),
      clientId: env.str('ZOOM_CLIENT_ID'),
      clientSecret: env.str('ZOOM_CLIENT_SECRET'),
      webhookSecretTokens: webhookSecrets.filter((s) => s !== ''),
      webhookToleranceSeconds: env.int('ZOOM_WEBHOOK_TOLERANCE_SECONDS', 1, 86400),
      chatSender: env.str('ZOOM_CHAT_SENDER'),
      apiBaseUrl: env.url('ZOOM_API_BASE_URL', ['http:', 'https:']),
      oauthUrl: env.url('ZOOM_OAUTH_URL', ['http:', 'https:']),
      rateLimits: {
        light: env.int('ZOOM_RATE_LIMIT_LIGHT', 1, 10000),
        medium: env.int('ZOOM_RATE_LIMIT_MEDIUM', 1, 10000),
        heavy: env.int('ZOOM_RATE_LIMIT_HEAVY', 1, 10000),
      },
      rateBudget: env.oneOf('ZOOM_RATE_BUDGET', ['shared', 'process'] as const),
      maxInFlight: env.int('ZOOM_MAX_IN_FLIGHT', 1, 1000),
      maxAttempts: env.int('ZOOM_MAX_ATTEMPTS', 1, 20),
      timeoutMs: env.int('ZOOM_HTTP_TIMEOUT_MS', 100, 120000),
      simulated: env.bool('ZOOM_SIMULATED'),
    },
    delivery: {
      sendWaitSeconds: env.int('SEND_WAIT_SECONDS', 0, 120),
      leaseSeconds: env.int('DELIVERY_LEASE_SECONDS', 1, 3600),
      concurrency: env.int('DELIVERY_CONCURRENCY', 1, 500),
      pollIntervalMs: env.int('DELIVERY_POLL_INTERVAL_MS', 10, 60000),
      maxAttempts: env.int('DELIVERY_MAX_ATTEMPTS', 1, 20),
    },
    privacy: {
      // Unset: keep everything (no purge job). A typo must not silently keep data forever,
      // so anything else than a positive whole number stops the boot.
      retentionDays:
        env.str('DATA_RETENTION_DAYS') === '' ? null : env.int('DATA_RETENTION_DAYS', 1, 36500),
    },
    answers: {
      tokenSecret: answerTokenSecret,
      graceSeconds: env.int('ANSWER_GRACE_SECONDS', 0, 60),
      speedScoring: env.bool('SPEED_SCORING'),
      perLinkPerAddress: env.int('ANSWERS_PER_LINK_PER_ADDRESS', 1, 100000),
    },
    runs: {
      sweepIntervalMs: env.int('RUNS_SWEEP_INTERVAL_MS', 50, 60000),
    },
  });

  if (env.problems.length > 0) throw new InvalidConfigError(env.problems);
  return config;
}
