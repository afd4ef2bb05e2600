import { HttpService } from '@nestjs/axios';
import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { AxiosResponse, isAxiosError } from 'axios';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import {
  InFlightLimit,
  RateLimiter,
  RateLimiterClosedError,
  ZoomRateBudget,
  ZoomRateLabel,
} from './rate-limiter';
import { SharedRateLimiter, wallClock } from './shared-rate-limiter';
import { ZoomBudgetStore } from './zoom-budget.store';
import {
  BARE_429_PAUSE_MS,
  backoffDelay,
  classifyStatus,
  FailureKind,
  isTransientNetworkError,
  MAX_RETRY_AFTER_MS,
  parseRetryAfter,
} from './retry-policy';
import { dailyLimitOf, DailyLimitPause, DailyLimitPauses } from './daily-limit';
import { ZoomApiError, ZoomDailyLimitError, ZoomOutcomeUnknownError } from './zoom-api.error';
import { redact, trackingIdOf, zoomErrorBody } from './zoom-response';
import { ZoomTokenService } from './zoom-token.service';

export type ZoomHttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface ZoomRequest {
  method: ZoomHttpMethod;
  /**
   * Path under ZOOM_API_BASE_URL with `{name}` placeholders, e.g. `/chat/users/{userId}/messages`.
   * The template (not the filled-in path) is what logs show, so they carry no emails or ids.
   */
  path: string;
  /** Placeholder values, each URL-encoded once here (see meeting-id.ts for Zoom's double case). */
  params?: Record<string, string>;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** Zoom's rate-limit label for this endpoint (docs/zoom.md §4). */
  label: ZoomRateLabel;
  /**
   * False for a request that must not be applied twice: a Team Chat post, whose body has no
   * idempotency key among its fields (docs/zoom.md §2). Such a request is retried only when it
   * certainly was not applied (connection refused, name not resolved, a 429 answer); when it went
   * out and no answer came (timeout, reset), or a 5xx came (Zoom may fail after the write), its
   * outcome is unknown and ZoomOutcomeUnknownError is thrown at once, for the caller to confirm
   * before any resend. Default true (reads).
   */
  idempotent?: boolean;
}

export interface ZoomResponse<T = unknown> {
  status: number;
  data: T;
  trackingId: string | null;
}

/** One failed attempt, as the retry loop sees it. */
interface Failure {
  kind: FailureKind;
  status: number;
  code: number | string | null;
  message: string;
  trackingId: string | null;
  retryAfterMs: number | null;
  /** A 429's `X-RateLimit-Type` (e.g. "QPS", "Daily-limit"), when Zoom sent it. */
  rateLimitType?: string;
  /** Epoch ms retryAfterMs counts from (a Retry-After date then maps back to itself exactly). */
  answeredAt?: number;
  /** The token the attempt used, to drop exactly that one on a 401. */
  token: string | null;
  /** The request may have reached Zoom and been applied without an answer coming back. */
  maybeApplied: boolean;
}

/**
 * The one HTTP client for Zoom's REST API: every call gets a token, a slot under the account's
 * rate limit and in-flight cap, a timeout, and Zoom-shaped retries. Services above it only say
 * what to call; nothing else in the code base knows Zoom's URLs, auth or error codes.
 */
@Injectable()
export class ZoomHttpClient implements OnApplicationShutdown {
  private readonly logger = new Logger(ZoomHttpClient.name);
  /**
   * Per account (docs/zoom.md §4: the limit is the account's, shared by all its apps and callers):
   * booked with every other instance in MongoDB, or this process's own (ZOOM_RATE_BUDGET).
   */
  private readonly limiter: ZoomRateBudget;
  private readonly inFlight: InFlightLimit;
  /** Labels whose daily cap is spent, until Zoom's reset (docs/zoom.md §4, §7). */
  private readonly daily = new DailyLimitPauses();
  /** Set on shutdown: waits and requests end, so a closing app is not held open by retries. */
  private closing = false;
  private lastBudgetWarning = Number.NEGATIVE_INFINITY;
  /** Requests on the wire and retry waits, each with the function that ends it on shutdown. */
  private readonly pending = new Set<() => void>();

  constructor(
    private readonly http: HttpService,
    private readonly tokens: ZoomTokenService,
    private readonly config: AppConfig,
    budgets: ZoomBudgetStore,
    private readonly metrics: MetricsService,
  ) {
    this.limiter =
      config.zoom.rateBudget === 'shared'
        ? new SharedRateLimiter(
            config.zoom.rateLimits,
            budgets,
            {
              dailyLimitSeen: (pause) => this.dailyLimitSeen(pause),
              storeFailed: (label, error) => this.budgetStoreFailed(label, error),
            },
            wallClock,
          )
        : new RateLimiter(config.zoom.rateLimits);
    this.inFlight = new InFlightLimit(config.zoom.maxInFlight);
    const { light, medium, heavy } = config.zoom.rateLimits;
    this.logger.log(
      config.zoom.rateBudget === 'shared'
        ? `Zoom rate budget: shared by every instance through MongoDB (zoom_budgets), ${light}/${medium}/${heavy} per second (light/medium/heavy) for the account`
        : `Zoom rate budget: this process alone (ZOOM_RATE_BUDGET=process), ${light}/${medium}/${heavy} per second (light/medium/heavy); run one instance only`,
    );
  }

  /** Another instance met the label's daily cap: pause it here too and fail who waits under it. */
  private dailyLimitSeen(pause: DailyLimitPause): void {
    const known = this.daily.active(pause.label, Date.now());
    if (known && known.resetsAt >= pause.resetsAt) return;
    this.daily.pause(pause);
    const error = new ZoomDailyLimitError(
      { code: 429, zoomMessage: pause.zoomMessage, trackingId: pause.trackingId },
      pause.label,
      pause.resetsAt,
    );
    this.limiter.rejectWaiting(pause.label, error);
    this.logger.warn(
      `Zoom daily limit (recorded by an instance): ${pause.label} calls paused until ${pause.resetsAt.toISOString()}`,
    );
  }

  /** The shared budget could not be booked (the database is away): callers wait, it is retried. */
  private budgetStoreFailed(label: ZoomRateLabel, error: unknown): void {
    const now = Date.now();
    if (now - this.lastBudgetWarning < 10_000) return;
    this.lastBudgetWarning = now;
    this.logger.warn(
      `Zoom rate budget (${label}) not reachable in MongoDB, retrying: ${error instanceof Error ? error.message : String(error)}`,
    );
  }

  /**
   * The last shutdown phase, not onModuleDestroy: the delivery worker waits for its sends in
   * flight in beforeApplicationShutdown, and they must still be able to finish then.
   */
  onApplicationShutdown(): void {
    this.closing = true;
    for (const end of [...this.pending]) end();
    this.limiter.close();
    this.inFlight.close();
  }

  /** The labels paused by a daily limit now, each with its reset time. */
  dailyLimits(): DailyLimitPause[] {
    return this.daily.all(Date.now());
  }

  /** The rate currently allowed for a label (lower than configured for a while after a 429). */
  currentRate(label: ZoomRateLabel): number {
    return this.limiter.currentRate(label);
  }

  /**
   * Sends `request`, retrying 429 (after Retry-After, or a backoff when Zoom sends none), 5xx,
   * timeouts and resets with exponential backoff and jitter, up to ZOOM_MAX_ATTEMPTS attempts.
   * A 401 (code 124) drops the token and tries once more with a new one. Throws ZoomApiError.
   */
  async request<T = unknown>(request: ZoomRequest): Promise<ZoomResponse<T>> {
    const { maxAttempts } = this.config.zoom;
    const url = this.config.zoom.apiBaseUrl + fillPath(request.path, request.params);
    let tokenRefreshed = false;
    let attempt = 0;
    for (;;) {
      attempt += 1;
      const outcome = await this.attempt<T>(request, url);
      if (!('kind' in outcome)) return outcome;
      const failure = outcome;

      if (request.idempotent === false && failure.maybeApplied) {
        this.logFailure(request, failure, 'outcome unknown, not retried (not idempotent)');
        throw new ZoomOutcomeUnknownError({
          status: failure.status,
          code: failure.code,
          zoomMessage: `${failure.message}; Zoom may have applied it`,
          trackingId: failure.trackingId,
        });
      }

      if (failure.kind === 'unauthorized' && !tokenRefreshed) {
        // docs/zoom.md §1: a dead token (code 124) is refreshed once and the call retried once; this
        // extra try does not count against ZOOM_MAX_ATTEMPTS.
        tokenRefreshed = true;
        attempt -= 1;
        if (failure.token !== null) this.tokens.invalidate(failure.token);
        this.logFailure(request, failure, 'refreshing the token and retrying once');
        continue;
      }

      const transient =
        failure.kind === 'rate-limited' || failure.kind === 'server' || failure.kind === 'network';
      if (failure.kind === 'rate-limited') {
        const daily = dailyLimitOf(
          {
            rateLimitType: failure.rateLimitType,
            retryAfterMs: failure.retryAfterMs,
            message: failure.message,
          },
          failure.answeredAt ?? Date.now(),
        );
        this.metrics.zoomRateLimit(request.label, daily !== null);
        if (daily !== null) {
          // A daily cap (docs/zoom.md §4): hours away. Pause the label until the reset and fail
          // this call and every caller waiting under the label now, instead of a retry storm.
          const error = this.dailyLimitError(request.label, new Date(daily.resetsAt), failure);
          this.daily.pause({
            label: request.label,
            resetsAt: error.resetsAt,
            zoomMessage: failure.message,
            trackingId: failure.trackingId,
          });
          this.limiter.rejectWaiting(request.label, error);
          this.limiter.shareDailyLimit({
            label: request.label,
            resetsAt: error.resetsAt,
            zoomMessage: failure.message,
            trackingId: failure.trackingId,
          });
          this.logFailure(
            request,
            failure,
            `daily limit: ${request.label} calls paused until ${error.resetsAt.toISOString()} (from ${daily.source})`,
          );
          throw error;
        }
        // All callers share the account's limit: pause and slow the bucket for everyone.
        const pause = Math.min(failure.retryAfterMs ?? BARE_429_PAUSE_MS, MAX_RETRY_AFTER_MS);
        this.limiter.penalize(request.label, pause);
      }
      if (!transient || attempt >= maxAttempts || this.closing) {
        this.logFailure(request, failure, `giving up after attempt ${attempt}/${maxAttempts}`);
        throw this.toError(failure, transient);
      }

      const delay =
        failure.kind === 'rate-limited' && failure.retryAfterMs !== null
          ? failure.retryAfterMs
          : backoffDelay(attempt);
      this.logFailure(
        request,
        failure,
        `attempt ${attempt}/${maxAttempts}, retrying in ${delay} ms`,
      );
      await this.wait(delay);
    }
  }

  /** One attempt: a response on 2xx, a Failure otherwise. Never throws for Zoom's answers. */
  private async attempt<T>(request: ZoomRequest, url: string): Promise<ZoomResponse<T> | Failure> {
    const { timeoutMs } = this.config.zoom;
    // In-flight slot first, then the rate slot: when slow answers free several slots at once,
    // their holders still leave at the paced rate instead of all together.
    this.throwIfDailyPaused(request.label);
    const release = await this.inFlight.acquire().catch(shutdownError);
    // One controller per request, not AbortSignal.any over a shared signal: thousands of queued
    // calls would each leave a listener on it.
    const controller = new AbortController();
    const abort = () => controller.abort();
    let timer: NodeJS.Timeout | undefined;
    let token: string | null = null;
    let response: AxiosResponse<unknown>;
    let sentAt = 0;
    try {
      const waitFrom = performance.now();
      await this.limiter.acquire(request.label).catch(shutdownError);
      this.metrics.budgetWait(request.label, (performance.now() - waitFrom) / 1000);
      if (this.closing) throw new ZoomApiError(SHUTTING_DOWN);
      this.throwIfDailyPaused(request.label);
      // Taken at the last moment: a caller may have queued for long behind the rate limit.
      token = await this.tokens.getAccessToken();
      this.pending.add(abort);
      timer = setTimeout(abort, timeoutMs);
      sentAt = performance.now();
      response = await this.http.axiosRef.request<unknown>({
        method: request.method,
        url,
        params: request.query,
        data: request.body,
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: 'application/json',
          ...(request.body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        // `timeout` is the socket's idle limit; the signal bounds the whole exchange.
        timeout: timeoutMs,
        signal: controller.signal,
        validateStatus: () => true,
        maxRedirects: 0,
      });
    } catch (error) {
      if (!isAxiosError(error)) throw error;
      if (sentAt > 0) this.observeCall(request, 0, sentAt); // 0: no answer came
      const code = error.code ?? 'ERR_NETWORK';
      const timedOut = code === 'ERR_CANCELED' || code === 'ECONNABORTED' || code === 'ETIMEDOUT';
      return {
        kind: isTransientNetworkError(code) ? 'network' : 'client',
        status: 0,
        code,
        message: timedOut
          ? `no answer within ${timeoutMs} ms`
          : `could not connect to ZOOM_API_BASE_URL (${code})`,
        trackingId: null,
        retryAfterMs: null,
        token,
        maybeApplied: !NOT_SENT_CODES.has(code),
      };
    } finally {
      clearTimeout(timer);
      this.pending.delete(abort);
      release();
    }

    const answeredAt = Date.now();
    this.observeCall(request, response.status, sentAt);
    const trackingId = trackingIdOf(response.headers);
    const kind = classifyStatus(response.status);
    if (kind === null) return { status: response.status, data: response.data as T, trackingId };
    const body = zoomErrorBody(response.data);
    return {
      kind,
      status: response.status,
      code: body.code,
      message: redact(body.message ?? `HTTP ${response.status} without a message`, [
        token,
        this.config.zoom.clientSecret,
      ]),
      trackingId,
      retryAfterMs:
        kind === 'rate-limited'
          ? parseRetryAfter(response.headers['retry-after'] as string | undefined, answeredAt)
          : null,
      answeredAt,
      rateLimitType:
        kind === 'rate-limited'
          ? (response.headers['x-ratelimit-type'] as string | undefined)
          : undefined,
      token,
      // A 429 is a refusal before any work and any other 4xx is Zoom's final word, but a 5xx may
      // come after the write: Zoom does not say which (docs/zoom.md §2).
      maybeApplied: kind === 'server',
    };
  }

  /** One request that went to Zoom, for the metrics: its route template, status and duration. */
  private observeCall(request: ZoomRequest, status: number, sentAt: number): void {
    const seconds = (performance.now() - sentAt) / 1000;
    this.metrics.zoomCall(request.label, request.method, request.path, status, seconds);
  }

  /** A label paused by a daily limit fails at once, without asking Zoom. */
  private throwIfDailyPaused(label: ZoomRateLabel): void {
    const pause = this.daily.active(label, Date.now());
    if (!pause) return;
    throw new ZoomDailyLimitError(
      { code: 429, zoomMessage: pause.zoomMessage, trackingId: pause.trackingId },
      label,
      pause.resetsAt,
    );
  }

  private dailyLimitError(label: ZoomRateLabel, resetsAt: Date, failure: Failure) {
    return new ZoomDailyLimitError(
      { code: failure.code, zoomMessage: failure.message, trackingId: failure.trackingId },
      label,
      resetsAt,
    );
  }

  private toError(failure: Failure, retryable: boolean): ZoomApiError {
    return new ZoomApiError({
      status: failure.status,
      code: failure.code,
      zoomMessage: failure.message,
      trackingId: failure.trackingId,
      retryable,
    });
  }

  /** Every failure is logged with Zoom's tracking id; never a token, secret or request body. */
  private logFailure(request: ZoomRequest, failure: Failure, outcome: string): void {
    const status = failure.status === 0 ? 'no answer' : `HTTP ${failure.status}`;
    const code = failure.code === null ? '' : ` code ${failure.code}`;
    this.logger.warn(
      `Zoom ${request.method} ${request.path}: ${status}${code} "${failure.message}" ` +
        `x-zm-trackingid=${failure.trackingId ?? 'none'}; ${outcome}`,
    );
  }

  /**
   * A back-off for a caller that retries on its own (a chat post confirmed absent after a 5xx);
   * shutdown ends it with a retryable ZoomApiError, like the client's own waits.
   */
  pause(ms: number): Promise<void> {
    return this.wait(ms);
  }

  /** Sleeps before a retry; shutdown ends the wait with a retryable error. */
  private wait(ms: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const end = () => {
        clearTimeout(timer);
        this.pending.delete(end);
        reject(new ZoomApiError(SHUTTING_DOWN));
      };
      const timer = setTimeout(() => {
        this.pending.delete(end);
        resolve();
      }, ms);
      this.pending.add(end);
    });
  }
}

/**
 * Network errors that mean the request never reached Zoom (no connection was made), so even a
 * request that is not idempotent may be sent again. Any other error may come after it went out.
 */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
]);

const SHUTTING_DOWN = {
  status: 0,
  code: null,
  zoomMessage: 'the service is shutting down',
  trackingId: null,
  retryable: true,
};

/** Fills `{name}` placeholders, encoding each value once; an unknown placeholder is a bug. */
export function fillPath(template: string, params: Record<string, string> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`No value for {${name}} in ${template}`);
    return encodeURIComponent(value);
  });
}

/** Callers queued when the app shuts down get the same retryable ZoomApiError as those retrying. */
function shutdownError(error: unknown): never {
  throw error instanceof RateLimiterClosedError ? new ZoomApiError(SHUTTING_DOWN) : error;
}
