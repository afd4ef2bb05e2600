/**
 * Errors the zoom module throws. Callers decide what to do from `status`, `code` and `retryable`;
 * `zoomMessage` is Zoom's own words, safe to show (no token or secret ever goes into it).
 */
export interface ZoomApiErrorInit {
  /** HTTP status Zoom answered; 0 when no answer came (timeout, connection reset, not sent). */
  status: number;
  /** Zoom's `code` (e.g. 124, 1001, 3001) or token `error` (e.g. "invalid_client"), when given. */
  code: number | string | null;
  zoomMessage: string;
  /** Zoom's `x-zm-trackingid`, what Zoom support asks for. */
  trackingId: string | null;
  retryable: boolean;
}

export class ZoomApiError extends Error {
  readonly status: number;
  readonly code: number | string | null;
  readonly zoomMessage: string;
  readonly trackingId: string | null;
  /**
   * True only when the client gave up on a transient failure (429, 5xx, timeout, reset) after
   * ZOOM_MAX_ATTEMPTS attempts, or Zoom asked us to wait longer than one call may wait: trying again
   * later may succeed. False for answers that will not change by retrying (other 4xx, bad config).
   */
  readonly retryable: boolean;

  constructor(init: ZoomApiErrorInit, message?: string) {
    super(message ?? describeZoomFailure(init));
    this.name = 'ZoomApiError';
    this.status = init.status;
    this.code = init.code;
    this.zoomMessage = init.zoomMessage;
    this.trackingId = init.trackingId;
    this.retryable = init.retryable;
  }
}

/**
 * Zoom cannot be used because of how this service or the Zoom app is configured: mostly the
 * Server-to-Server OAuth token being refused (docs/zoom.md §1). `hint` names what to check; no secret
 * or token is ever part of it. Never retryable: the same configuration gets the same answer.
 */
export class ZoomConfigError extends ZoomApiError {
  constructor(
    init: Omit<ZoomApiErrorInit, 'retryable'>,
    readonly hint: string,
  ) {
    const answered =
      init.status === 0
        ? ''
        : ` (Zoom answered HTTP ${init.status}${init.code === null ? '' : ` ${init.code}`}: "${init.zoomMessage}")`;
    super({ ...init, retryable: false }, `Zoom is not configured correctly: ${hint}${answered}`);
    this.name = 'ZoomConfigError';
  }
}

/**
 * A request this client refuses before calling Zoom because Zoom would refuse it too (a Team Chat
 * message over 1024 characters, no target). Status 400 as Zoom would answer; nothing was sent.
 */
export class ZoomInvalidRequestError extends ZoomApiError {
  constructor(zoomMessage: string) {
    super({ status: 400, code: null, zoomMessage, trackingId: null, retryable: false });
    this.name = 'ZoomInvalidRequestError';
  }
}

/**
 * A request that is not idempotent (a Team Chat post) went out and no answer came back (timeout,
 * reset; `status` 0), or a 5xx came back (`status` is it): Zoom may or may not have applied it. Not retryable as such: the caller must find out
 * (e.g. list the messages sent) before sending again, or it may post twice.
 */
export class ZoomOutcomeUnknownError extends ZoomApiError {
  constructor(init: Omit<ZoomApiErrorInit, 'retryable'>) {
    super({ ...init, retryable: false });
    this.name = 'ZoomOutcomeUnknownError';
  }
}

function describeZoomFailure(init: ZoomApiErrorInit): string {
  const status = init.status === 0 ? 'no answer' : `HTTP ${init.status}`;
  const code = init.code === null ? '' : ` code ${init.code}`;
  return `Zoom API ${status}${code}: ${init.zoomMessage}`;
}

/**
 * Zoom refused a Team Chat send for the sender's standing, not for the message: the sender is not
 * a member of the channel, or its role may not edit Chat Messages (docs/zoom.md §2). `hint` says
 * what an admin must change; the same send succeeds once that is done (never retryable before).
 */
export class ZoomChatPermissionError extends ZoomConfigError {
  constructor(
    init: Omit<ZoomApiErrorInit, 'retryable'>,
    hint: string,
    readonly problem: 'not_channel_member' | 'sender_role',
  ) {
    super(init, hint);
    this.name = 'ZoomChatPermissionError';
  }
}

/**
 * Zoom's daily cap for a rate-limit label is spent (docs/zoom.md §4): every call under that label
 * fails at once until `resetsAt`, without asking Zoom. Not retryable by the client: the caller
 * records it (a delivery fails with reason `zoom_daily_limit`) and a retry after `resetsAt` works.
 */
export class ZoomDailyLimitError extends ZoomApiError {
  constructor(
    init: Omit<ZoomApiErrorInit, 'retryable' | 'status'>,
    readonly label: 'light' | 'medium' | 'heavy',
    readonly resetsAt: Date,
  ) {
    super(
      { ...init, status: 429, retryable: false },
      `Zoom's daily limit for ${label} calls is reached; Zoom accepts them again at ${resetsAt.toISOString()}`,
    );
    this.name = 'ZoomDailyLimitError';
  }
}
