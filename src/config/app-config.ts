/**
 * The typed configuration every other module injects. It is built once, from the environment
 * (environment.ts reads it, `.env` included), by `parseEnv` (env.schema.ts); nothing outside
 * `src/config` reads `process.env`, and nothing writes it.
 */
export type NodeEnv = 'development' | 'test' | 'production';

export interface ZoomRateLimits {
  /** Requests per second per Zoom rate-limit label, per account (docs/zoom.md §4). */
  light: number;
  medium: number;
  heavy: number;
}

/** Fastify's `trustProxy`: off, a hop count, or the proxies' addresses / CIDR ranges. */
export type TrustProxy = false | number | string[];

export class AppConfig {
  nodeEnv!: NodeEnv;
  port!: number;
  /** Bind address (HOST): every interface by default. */
  host!: string;
  /**
   * Which reverse proxies' X-Forwarded-For is believed (TRUST_PROXY), so `request.ip`, and the
   * answer page's per-address limits keyed on it, is the real client's address behind them.
   */
  trustProxy!: TrustProxy;
  /**
   * METRICS_PORT: a second listener (on `host`) serving only GET /metrics without a key, for a
   * Prometheus on the private network; null: metrics only as the admins' GET /metrics.
   */
  metricsPort!: number | null;
  /** Public URL of this service: answer links are built from it. */
  baseUrl!: string;
  mongoUri!: string;
  /** Instructor API keys; several at once so a key can be rotated without downtime. */
  apiKeys!: string[];
  logLevel!: 'error' | 'warn' | 'log' | 'debug' | 'verbose';
  logFormat!: 'json' | 'pretty';
  zoom!: {
    accountId: string;
    clientId: string;
    clientSecret: string;
    /** Current secret first, then the optional "next" one accepted during a rotation. */
    webhookSecretTokens: string[];
    webhookToleranceSeconds: number;
    chatSender: string;
    apiBaseUrl: string;
    oauthUrl: string;
    rateLimits: ZoomRateLimits;
    /**
     * `shared`: one budget per account and label for every instance, booked in MongoDB
     * (docs/architecture.md §20); `process`: each process paces itself alone (one instance only).
     */
    rateBudget: 'shared' | 'process';
    maxInFlight: number;
    maxAttempts: number;
    timeoutMs: number;
    /** True when the app talks to the in-repo Zoom simulator (development without credentials). */
    simulated: boolean;
  };
  delivery!: {
    /** How long POST /api/send-question waits for a send to finish before answering 202. */
    sendWaitSeconds: number;
    leaseSeconds: number;
    concurrency: number;
    pollIntervalMs: number;
    /**
     * Times a delivery is tried by the sender, each try being a Zoom call with its own retries
     * (ZOOM_MAX_ATTEMPTS); only after all of them is the recipient marked failed.
     */
    maxAttempts: number;
  };
  privacy!: {
    /**
     * DATA_RETENTION_DAYS: participant records, sends (with their deliveries and answers) and
     * meeting occurrences older than this many days are purged by a background job; null keeps
     * them (docs/architecture.md §14).
     */
    retentionDays: number | null;
  };
  answers!: {
    /**
     * Key from which each recipient's answer link token is derived (HMAC), so the database stores
     * only token hashes and a leaked database cannot be used to answer for anyone.
     */
    tokenSecret: string;
    /** Grace after a question's deadline for answers still in flight on the network. */
    graceSeconds: number;
    speedScoring: boolean;
    /**
     * Answers accepted per answer link from one client address (ANSWERS_PER_LINK_PER_ADDRESS):
     * bounds ballot stuffing on a channel's shared link; a personal link takes one answer anyway.
     */
    perLinkPerAddress: number;
  };
  runs!: {
    /**
     * RUNS_SWEEP_INTERVAL_MS: how often each instance's runs worker looks for work other
     * instances' events or a crash left (late joiners, due armed starts, auto-advance, run
     * deadlines, starts cut short; docs/architecture.md §27).
     */
    sweepIntervalMs: number;
  };

  get isProduction(): boolean {
    return this.nodeEnv === 'production';
  }
}
