import { HttpService } from '@nestjs/axios';
import { Injectable, Logger } from '@nestjs/common';
import { isAxiosError } from 'axios';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppConfig } from '../config/app-config';
import { ZoomApiError, ZoomConfigError } from './zoom-api.error';
import {
  backoffDelay,
  classifyStatus,
  isRetryable,
  isTransientNetworkError,
  MAX_RETRY_AFTER_MS,
  parseRetryAfter,
} from './retry-policy';
import { redact, stringField, trackingIdOf } from './zoom-response';

/** Zoom's SDK re-fetches a token when 60 s or less remain (docs/zoom.md §1); so do we. */
export const TOKEN_REFRESH_MARGIN_MS = 60_000;

/** Zoom's tokens live 3600 s; used when an answer omits `expires_in`. */
const DEFAULT_TOKEN_TTL_SECONDS = 3600;

interface CachedToken {
  accessToken: string;
  scopes: string[];
  /** Date.now() at which Zoom stops accepting it, counted from when we asked (conservative). */
  expiresAt: number;
  /** Date.now() from which we ask for a new one. */
  refreshAt: number;
}

/** What a token says about the app, without the token itself. */
export interface ZoomTokenInfo {
  scopes: string[];
  expiresAt: Date;
}

/**
 * Server-to-Server OAuth (docs/zoom.md §1): one cached token per process, refreshed early, and one
 * request in flight however many callers need a token at once. There is no refresh token: a new
 * token is simply asked for with the account credentials.
 */
@Injectable()
export class ZoomTokenService {
  private readonly logger = new Logger(ZoomTokenService.name);
  private cached: CachedToken | null = null;
  private inFlight: Promise<CachedToken> | null = null;

  constructor(
    private readonly http: HttpService,
    private readonly config: AppConfig,
  ) {}

  /** A valid access token: the cached one, or a fresh one shared with concurrent callers. */
  async getAccessToken(): Promise<string> {
    const cached = this.cached;
    if (cached && Date.now() < cached.refreshAt) return cached.accessToken;
    return (await this.fetchShared()).accessToken;
  }

  /**
   * Asks Zoom for a new token now (joining a request already in flight) and describes it: for
   * GET /api/test-zoom, which must prove the credentials work today, not an hour ago.
   */
  async refresh(): Promise<ZoomTokenInfo> {
    const token = await this.fetchShared();
    return { scopes: [...token.scopes], expiresAt: new Date(token.expiresAt) };
  }

  /**
   * Zoom answered 401 code 124 with this token (revoked, app deactivated, secret rotated). Drops it
   * unless it was already replaced, so the many callers that held the dead token trigger one
   * refresh between them, not one each.
   */
  invalidate(accessToken: string): void {
    if (this.cached?.accessToken === accessToken) this.cached = null;
  }

  private fetchShared(): Promise<CachedToken> {
    if (!this.inFlight) {
      this.inFlight = this.fetchWithRetries()
        .then((token) => {
          this.cached = token;
          return token;
        })
        .finally(() => {
          this.inFlight = null;
        });
    }
    return this.inFlight;
  }

  /** Transient failures of the token endpoint are retried like API calls; refusals are not. */
  private async fetchWithRetries(): Promise<CachedToken> {
    const { maxAttempts } = this.config.zoom;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.requestToken();
      } catch (error) {
        if (!(error instanceof ZoomApiError) || !error.retryable || attempt >= maxAttempts) {
          throw error;
        }
        const retryAfter = error.status === 429 ? retryAfterOf(error) : null;
        // Same rule as API calls: a wait past the cap (a daily limit) is not waited out inside a
        // call, where it would hold every caller and their delivery leases for hours.
        if (retryAfter !== null && retryAfter > MAX_RETRY_AFTER_MS) throw error;
        const delay = retryAfter ?? backoffDelay(attempt);
        this.logger.warn(
          `Zoom token request attempt ${attempt}/${maxAttempts} failed: ${error.message}; retrying in ${delay} ms`,
        );
        await sleep(delay);
      }
    }
  }

  private async requestToken(): Promise<CachedToken> {
    const { accountId, clientId, clientSecret, oauthUrl, timeoutMs } = this.config.zoom;
    const missing = [
      ['ZOOM_ACCOUNT_ID', accountId],
      ['ZOOM_CLIENT_ID', clientId],
      ['ZOOM_CLIENT_SECRET', clientSecret],
    ]
      .filter(([, value]) => value === '')
      .map(([name]) => name);
    if (missing.length > 0) {
      throw new ZoomConfigError(
        { status: 0, code: null, zoomMessage: 'not sent: credentials missing', trackingId: null },
        `set ${missing.join(', ')} to the Server-to-Server OAuth app's App Credentials`,
      );
    }

    const askedAt = Date.now();
    let status: number;
    let data: unknown;
    let trackingId: string | null;
    try {
      // Exactly Zoom's request (docs/zoom.md §1): Basic auth, and the grant in a form body, never the
      // query string (Zoom has answered query parameters with 400).
      const response = await this.http.axiosRef.request<unknown>({
        method: 'POST',
        url: oauthUrl,
        data: new URLSearchParams({
          grant_type: 'account_credentials',
          account_id: accountId,
        }).toString(),
        headers: {
          Authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
        },
        timeout: timeoutMs,
        signal: AbortSignal.timeout(timeoutMs),
        validateStatus: () => true,
      });
      status = response.status;
      data = response.data;
      trackingId = trackingIdOf(response.headers);
      if (status === 429) {
        const wait = parseRetryAfter(
          response.headers['retry-after'] as string | undefined,
          Date.now(),
        );
        throw new TokenRateLimitedError(wait, trackingId);
      }
    } catch (error) {
      if (error instanceof ZoomApiError) throw error;
      const code = isAxiosError(error) ? error.code : undefined;
      throw new ZoomApiError({
        status: 0,
        code: code ?? null,
        zoomMessage: `no answer from ZOOM_OAUTH_URL (${code ?? 'network error'})`,
        trackingId: null,
        retryable: isTransientNetworkError(code),
      });
    }

    const body = isObject(data) ? data : {};
    const accessToken = stringField(body, 'access_token');
    if (status >= 200 && status < 300 && accessToken) {
      const ttlSeconds =
        typeof body.expires_in === 'number' && body.expires_in >= 0
          ? body.expires_in
          : DEFAULT_TOKEN_TTL_SECONDS;
      const ttlMs = ttlSeconds * 1000;
      // A token shorter-lived than twice the margin would be "stale" the moment it arrives.
      const margin = Math.min(TOKEN_REFRESH_MARGIN_MS, ttlMs / 2);
      return {
        accessToken,
        scopes: (stringField(body, 'scope') ?? '').split(/\s+/).filter((s) => s !== ''),
        expiresAt: askedAt + ttlMs,
        refreshAt: askedAt + ttlMs - margin,
      };
    }

    const code = tokenErrorCode(body);
    const reason = redact(
      stringField(body, 'reason') ??
        stringField(body, 'message') ??
        stringField(body, 'error_description') ??
        stringField(body, 'error') ??
        `HTTP ${status} without a reason`,
      [clientSecret],
    );
    const kind = classifyStatus(status);
    if (kind !== null && isRetryable(kind)) {
      throw new ZoomApiError({ status, code, zoomMessage: reason, trackingId, retryable: true });
    }
    throw new ZoomConfigError(
      { status, code, zoomMessage: reason, trackingId },
      tokenErrorHint(status, code, reason),
    );
  }
}

/** A 429 from the token endpoint, carrying Retry-After for the retry loop. */
class TokenRateLimitedError extends ZoomApiError {
  constructor(
    readonly retryAfterMs: number | null,
    trackingId: string | null,
  ) {
    super({
      status: 429,
      code: null,
      zoomMessage: 'token endpoint rate limit',
      trackingId,
      retryable: true,
    });
  }
}

function retryAfterOf(error: ZoomApiError): number | null {
  return error instanceof TokenRateLimitedError ? error.retryAfterMs : null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Zoom's numeric `code` (4702, 4705, ...) when present, else the OAuth `error` string. */
function tokenErrorCode(body: Record<string, unknown>): number | string | null {
  if (typeof body.code === 'number') return body.code;
  if (typeof body.code === 'string' && body.code !== '') return body.code;
  return stringField(body, 'error') ?? null;
}

/** What to check for each token refusal Zoom documents (docs/zoom.md §1). */
export function tokenErrorHint(
  status: number,
  code: number | string | null,
  reason: string,
): string {
  const codeText = code === null ? '' : String(code);
  if (['4702', '4704', 'invalid_client'].includes(codeText)) {
    return (
      'check ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET: they must be the Client ID and Client Secret ' +
      'from the App Credentials page of an activated Server-to-Server OAuth app'
    );
  }
  if (['4705', 'unsupported_grant_type', 'unauthorized_client'].includes(codeText)) {
    return (
      'the credentials are not those of a Server-to-Server OAuth app (wrong app type): create one ' +
      'in the Zoom App Marketplace and set ZOOM_CLIENT_ID / ZOOM_CLIENT_SECRET from it'
    );
  }
  if (codeText === '4706') {
    return 'a credential is missing: set ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET';
  }
  if (/account/i.test(reason)) {
    return "check ZOOM_ACCOUNT_ID: it must be the Account ID from the app's App Credentials page";
  }
  if (status === 404 || status === 405) {
    return 'check ZOOM_OAUTH_URL (https://zoom.us/oauth/token, or https://zoomgov.com/oauth/token for Zoom for Government)';
  }
  return 'check ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET and ZOOM_OAUTH_URL, and that the Server-to-Server OAuth app is activated';
}
