import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleControl } from './control-api';
import { BodyTooLargeError, sendJson } from './http';
import { SeededRandom } from './prng';
import { DailyLimit } from './daily-limit';
import { PRO_RATE_LIMITS, RateLimiter } from './rate-limiter';
import { TokenStore } from './tokens';
import {
  WebhookEmitter,
  deliverWebhook,
  signWebhook,
  type WebhookBody,
  type WebhookExtra,
  type WebhookHeaders,
  type WebhookResult,
  type WebhookTargetOptions,
} from './webhooks';
import { SimWorld, type CreateMeetingInput, type JoinInput } from './world';
import { ZoomApi, type FaultState } from './zoom-api';
import type {
  BusiestWindow,
  RateLabel,
  RecordedRequest,
  SentMessage,
  SimChannel,
  SimMeeting,
  SimParticipant,
  WebhookDelivery,
  WebhookEvent,
  ZoomSimulatorFaults,
  ZoomSimulatorOptions,
  ZoomUser,
} from './types';

export const DEFAULT_SCOPES = [
  'chat_message:write:admin',
  'chat_message:read:admin',
  'meeting:read:admin',
  'dashboard_meetings:read:admin',
  'user:read:admin',
];

export interface ZoomSimulator {
  readonly url: string;
  /** `${url}/v2`: the app's ZOOM_API_BASE_URL. */
  readonly apiBaseUrl: string;
  /** `${url}/oauth/token`: the app's ZOOM_OAUTH_URL. */
  readonly oauthUrl: string;
  readonly accountId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly webhookSecretToken: string;

  /** Changes only the faults named; rateLimits replaces the whole table. */
  setFaults(f: ZoomSimulatorFaults): void;
  /** Every token issued so far answers 401 code 124 from now on. */
  revokeTokens(): void;
  addUser(u: { id?: string; email: string; name?: string }): ZoomUser;
  /** `members`: ids or emails of account users; only members may post to it (docs/zoom.md §2). */
  createChannel(c?: { id?: string; name?: string; members?: string[] }): SimChannel;
  addChannelMember(channelId: string, user: string): SimChannel;
  removeChannelMember(channelId: string, user: string): SimChannel;
  /** false: sends on this user's behalf are refused as their role may not edit Chat Messages. */
  setChatMessagesEdit(user: string, allowed: boolean): void;
  createMeeting(m?: CreateMeetingInput): SimMeeting;
  getMeeting(meetingId: string | number): SimMeeting;
  startMeeting(meetingId: string | number, opts?: { uuid?: string }): { uuid: string };
  join(meetingId: string | number, p: JoinInput): SimParticipant;
  leave(meetingId: string | number, participantUuidOrUserId: string): void;
  /** Waiting room (docs/zoom.md §7): arrive in it, be admitted, be put back. leave() leaves it. */
  joinWaitingRoom(meetingId: string | number, p: JoinInput): SimParticipant;
  admit(meetingId: string | number, participantUuidOrUserId: string): SimParticipant;
  putInWaitingRoom(meetingId: string | number, participantUuidOrUserId: string): SimParticipant;
  endMeeting(meetingId: string | number): void;
  users(): ZoomUser[];
  meetings(): SimMeeting[];
  messages(): SentMessage[];
  /**
   * Changes a sent message's text, as its sender may in the Zoom client: the list then shows the
   * new text with status "Edited" (docs/zoom.md §7).
   */
  editMessage(id: string, message: string): void;
  requests(): RecordedRequest[];
  /**
   * The fullest sliding window (default 1 s) of requests of `label` that the per-second meter
   * accepted, by the time it counted each (RecordedRequest.acceptedAt).
   */
  busiestWindow(label: RateLabel, windowMs?: number): BusiestWindow;
  tokenRequests(): number;
  /** Clears messages, requests, webhook deliveries, the token-request count; faults back to the start options. */
  reset(): void;

  webhookPayload(
    event: WebhookEvent,
    meetingId?: string | number,
    participant?: SimParticipant,
    extra?: WebhookExtra,
  ): WebhookBody;
  sign(rawBody: string, timestamp?: number): WebhookHeaders;
  sendWebhook(
    targetUrl: string,
    body: object | string,
    opts?: { timestamp?: number; secret?: string },
  ): Promise<WebhookResult>;
  setWebhookTarget(url: string | null, opts?: WebhookTargetOptions): void;
  flushWebhooks(): Promise<void>;
  /**
   * Zoom's retry of the deliveries that failed (no 2xx within 3 s), with its 5/20/60-minute
   * schedule compressed to now: queues each failed event once more; how many were queued.
   */
  retryFailedWebhooks(): number;
  webhookDeliveries(): WebhookDelivery[];
  close(): Promise<void>;
}

class ZoomSimulatorServer implements ZoomSimulator {
  readonly accountId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly webhookSecretToken: string;
  private baseUrl = '';
  private closing: Promise<void> | undefined;
  private readonly rng: SeededRandom;
  private readonly tokens: TokenStore;
  private readonly limiter: RateLimiter;
  private readonly daily: DailyLimit;
  private readonly faults: FaultState;
  private readonly world: SimWorld;
  private readonly api: ZoomApi;
  private readonly emitter: WebhookEmitter;
  private readonly server: Server;

  constructor(private readonly opts: ZoomSimulatorOptions) {
    this.accountId = opts.accountId ?? 'sim-account';
    this.clientId = opts.clientId ?? 'sim-client-id';
    this.clientSecret = opts.clientSecret ?? 'sim-client-secret';
    this.webhookSecretToken = opts.webhookSecretToken ?? 'sim-webhook-secret';
    this.rng = new SeededRandom(opts.seed);
    this.tokens = new TokenStore(opts.tokenTtlSeconds ?? 3600);
    this.limiter = new RateLimiter(opts.rateLimits ?? PRO_RATE_LIMITS, opts.rateClock);
    this.daily = new DailyLimit(opts.dailyLimits);
    this.faults = this.initialFaults();
    this.emitter = new WebhookEmitter((raw) => this.sign(raw), this.rng);
    this.world = new SimWorld(this.accountId, this.rng, (body) => this.emitter.emit(body));
    this.api = new ZoomApi(
      this.world,
      this.tokens,
      this.limiter,
      this.rng,
      this.faults,
      {
        accountId: this.accountId,
        clientId: this.clientId,
        clientSecret: this.clientSecret,
        scopes: opts.scopes ?? DEFAULT_SCOPES,
        apiUrl: () => this.url,
      },
      this.daily,
    );
    this.server = createServer((req, res) => {
      this.dispatch(req, res).catch((err: unknown) => {
        const status = err instanceof BodyTooLargeError ? 413 : 500;
        sendJson(res, status, {
          code: status,
          message: err instanceof Error ? err.message : String(err),
        });
      });
    });
    // Benchmarks open many keep-alive connections; Node's default 5 s keep-alive is fine.
    this.server.keepAliveTimeout = 5000;
  }

  async listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    const address = this.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${address.port}`;
  }

  get url(): string {
    return this.baseUrl;
  }
  get apiBaseUrl(): string {
    return `${this.baseUrl}/v2`;
  }
  get oauthUrl(): string {
    return `${this.baseUrl}/oauth/token`;
  }

  setFaults(f: ZoomSimulatorFaults): void {
    if (f.latencyMs !== undefined) this.faults.latencyMs = f.latencyMs;
    if (f.serverErrorRatio !== undefined) this.faults.serverErrorRatio = f.serverErrorRatio;
    if (f.retryAfterHeader !== undefined) this.faults.retryAfterHeader = f.retryAfterHeader;
    if (f.retryAfterFormat !== undefined) this.faults.retryAfterFormat = f.retryAfterFormat;
    if (f.hangRatio !== undefined) this.faults.hangRatio = f.hangRatio;
    if (f.burst429 !== undefined) this.faults.burst429 = f.burst429;
    if (f.answerLateMs !== undefined) this.faults.answerLateMs = f.answerLateMs;
    if (f.applyThenHangRatio !== undefined) this.faults.applyThenHangRatio = f.applyThenHangRatio;
    if (f.applyThenServerErrorRatio !== undefined) {
      this.faults.applyThenServerErrorRatio = f.applyThenServerErrorRatio;
    }
    if (f.omitMessageId !== undefined) this.faults.omitMessageId = f.omitMessageId;
    if (f.rateLimits !== undefined) this.limiter.setLimits(f.rateLimits);
    if (f.dailyLimits !== undefined) this.daily.setLimits(f.dailyLimits);
    if (f.dailyLimitHeaders !== undefined) this.faults.dailyLimitHeaders = f.dailyLimitHeaders;
  }

  revokeTokens(): void {
    this.tokens.revokeAll();
  }

  addUser(u: { id?: string; email: string; name?: string }): ZoomUser {
    return this.world.addUser(u);
  }
  createChannel(c?: { id?: string; name?: string; members?: string[] }): SimChannel {
    return this.world.createChannel(c);
  }
  addChannelMember(channelId: string, user: string): SimChannel {
    return this.world.addChannelMember(channelId, user);
  }
  removeChannelMember(channelId: string, user: string): SimChannel {
    return this.world.removeChannelMember(channelId, user);
  }
  setChatMessagesEdit(user: string, allowed: boolean): void {
    this.world.setChatMessagesEdit(user, allowed);
  }
  createMeeting(m?: CreateMeetingInput): SimMeeting {
    return this.world.createMeeting(m);
  }
  getMeeting(meetingId: string | number): SimMeeting {
    return this.world.getMeeting(meetingId);
  }
  startMeeting(meetingId: string | number, opts?: { uuid?: string }): { uuid: string } {
    return this.world.startMeeting(meetingId, opts);
  }
  join(meetingId: string | number, p: JoinInput): SimParticipant {
    return this.world.join(meetingId, p);
  }
  leave(meetingId: string | number, participantUuidOrUserId: string): void {
    this.world.leave(meetingId, participantUuidOrUserId);
  }
  joinWaitingRoom(meetingId: string | number, p: JoinInput): SimParticipant {
    return this.world.joinWaitingRoom(meetingId, p);
  }
  admit(meetingId: string | number, participantUuidOrUserId: string): SimParticipant {
    return this.world.admit(meetingId, participantUuidOrUserId);
  }
  putInWaitingRoom(meetingId: string | number, participantUuidOrUserId: string): SimParticipant {
    return this.world.putInWaitingRoom(meetingId, participantUuidOrUserId);
  }
  endMeeting(meetingId: string | number): void {
    this.world.endMeeting(meetingId);
  }
  users(): ZoomUser[] {
    return this.world.listUsers();
  }
  meetings(): SimMeeting[] {
    return this.world.listMeetings();
  }
  messages(): SentMessage[] {
    return this.api.messages();
  }
  editMessage(id: string, message: string): void {
    this.api.editMessage(id, message);
  }
  requests(): RecordedRequest[] {
    return this.api.requests();
  }
  busiestWindow(label: RateLabel, windowMs = 1000): BusiestWindow {
    return this.api.busiestWindow(label, windowMs);
  }
  tokenRequests(): number {
    return this.api.tokenRequests;
  }

  reset(): void {
    this.api.clearRecords();
    this.emitter.clearLog();
    Object.assign(this.faults, this.initialFaults());
    this.limiter.setLimits(this.opts.rateLimits ?? PRO_RATE_LIMITS);
    this.daily.setLimits(this.opts.dailyLimits ?? {});
  }

  webhookPayload(
    event: WebhookEvent,
    meetingId?: string | number,
    participant?: SimParticipant,
    extra?: WebhookExtra,
  ): WebhookBody {
    return this.world.webhookPayload(event, meetingId, participant, extra);
  }

  sign(rawBody: string, timestamp?: number): WebhookHeaders {
    return signWebhook(this.webhookSecretToken, rawBody, timestamp);
  }

  async sendWebhook(
    targetUrl: string,
    body: object | string,
    opts: { timestamp?: number; secret?: string } = {},
  ): Promise<WebhookResult> {
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    const headers = signWebhook(opts.secret ?? this.webhookSecretToken, raw, opts.timestamp);
    return deliverWebhook(targetUrl, raw, headers);
  }

  setWebhookTarget(url: string | null, opts?: WebhookTargetOptions): void {
    this.emitter.setTarget(url, opts);
  }

  flushWebhooks(): Promise<void> {
    return this.emitter.flush();
  }

  retryFailedWebhooks(): number {
    return this.emitter.retryFailed();
  }

  webhookDeliveries(): WebhookDelivery[] {
    return this.emitter.deliveries();
  }

  /** Idempotent: every caller waits for the same shutdown. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    await this.emitter.close();
    for (const res of this.api.hung) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private initialFaults(): FaultState {
    return {
      latencyMs: this.opts.latencyMs ?? 0,
      serverErrorRatio: this.opts.serverErrorRatio ?? 0,
      retryAfterHeader: this.opts.retryAfterHeader ?? true,
      retryAfterFormat: this.opts.retryAfterFormat ?? 'seconds',
      hangRatio: 0,
      burst429: 0,
      answerLateMs: 0,
      applyThenHangRatio: 0,
      applyThenServerErrorRatio: 0,
      omitMessageId: false,
      dailyLimitHeaders: true,
    };
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim.invalid');
    // The raw path (still percent-encoded) is what routing needs: see decodeMeetingPathId.
    const rawPath = (req.url ?? '/').split('?')[0];
    if (rawPath === '/_sim' || rawPath.startsWith('/_sim/')) {
      return handleControl(this, req, res, rawPath);
    }
    return this.api.handle(req, res, url, rawPath);
  }
}

export async function startZoomSimulator(opts: ZoomSimulatorOptions = {}): Promise<ZoomSimulator> {
  const sim = new ZoomSimulatorServer(opts);
  await sim.listen(opts.port ?? 0);
  return sim;
}
