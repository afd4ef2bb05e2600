import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseJsonObject, readBody, sendJson } from './http';
import type { ZoomSimulator } from './simulator';
import type {
  RateLimits,
  RetryAfterFormat,
  SimParticipant,
  WebhookEvent,
  ZoomSimulatorFaults,
} from './types';
import type { WebhookExtra } from './webhooks';
import { SimNotFoundError } from './world';

/** A control request the simulator cannot act on: answered 400 with the reason. */
class BadControlRequest extends Error {}

type Json = Record<string, unknown>;

function str(o: Json, key: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw new BadControlRequest(`${key} must be a string`);
  return v;
}
function optStr(o: Json, key: string): string | undefined {
  return o[key] === undefined ? undefined : str(o, key);
}
function optStrList(o: Json, key: string): string[] | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string'))
    throw new BadControlRequest(`${key} must be an array of strings`);
  return v;
}
function optNum(o: Json, key: string): number | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new BadControlRequest(`${key} must be a number`);
  return v;
}
function optBool(o: Json, key: string): boolean | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw new BadControlRequest(`${key} must be a boolean`);
  return v;
}
function optObj(o: Json, key: string): Json | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw new BadControlRequest(`${key} must be an object`);
  return v as Json;
}
function idOf(o: Json, key: string): string | number | undefined {
  const v = o[key];
  return typeof v === 'number' ? v : optStr(o, key);
}

function rateLimits(o: Json | undefined): RateLimits | undefined {
  if (!o) return undefined;
  return { light: optNum(o, 'light'), medium: optNum(o, 'medium'), heavy: optNum(o, 'heavy') };
}

function retryAfterFormat(v: string | undefined): RetryAfterFormat | undefined {
  if (v === undefined || v === 'seconds' || v === 'http-date') return v;
  throw new BadControlRequest('retryAfterFormat must be "seconds" or "http-date"');
}

function faults(o: Json): ZoomSimulatorFaults {
  return {
    latencyMs: optNum(o, 'latencyMs'),
    serverErrorRatio: optNum(o, 'serverErrorRatio'),
    rateLimits: rateLimits(optObj(o, 'rateLimits')),
    retryAfterHeader: optBool(o, 'retryAfterHeader'),
    retryAfterFormat: retryAfterFormat(optStr(o, 'retryAfterFormat')),
    hangRatio: optNum(o, 'hangRatio'),
    burst429: optNum(o, 'burst429'),
    answerLateMs: optNum(o, 'answerLateMs'),
    applyThenHangRatio: optNum(o, 'applyThenHangRatio'),
    applyThenServerErrorRatio: optNum(o, 'applyThenServerErrorRatio'),
    omitMessageId: optBool(o, 'omitMessageId'),
    dailyLimits: rateLimits(optObj(o, 'dailyLimits')),
    dailyLimitHeaders: optBool(o, 'dailyLimitHeaders'),
  };
}

function webhookExtra(o: Json | undefined): WebhookExtra | undefined {
  if (!o) return undefined;
  return {
    event_ts: optNum(o, 'event_ts'),
    plainToken: optStr(o, 'plainToken'),
    object: optObj(o, 'object'),
  };
}

/**
 * The `/_sim/*` JSON API: the programmatic API over HTTP, for benchmarks and `npm run zoom:sim`
 * users. Not Zoom: no auth, no rate limits, no faults, not recorded in requests().
 */
export async function handleControl(
  sim: ZoomSimulator,
  req: IncomingMessage,
  res: ServerResponse,
  rawPath: string,
): Promise<void> {
  const method = req.method ?? 'GET';
  const parts = rawPath.split('/').slice(2).map(decodeURIComponent);
  const route = `${method} /${parts.map((p, i) => (parts[0] === 'meetings' && i === 1 ? ':id' : p)).join('/')}`;
  const raw = method === 'GET' ? '' : await readBody(req);
  const body = raw.trim() === '' ? {} : parseJsonObject(raw);
  if (!body) return sendJson(res, 400, { error: 'body must be a JSON object' });
  try {
    const result = await controlRoute(sim, route, parts[1], body);
    if (result === NOT_FOUND)
      return sendJson(res, 404, { error: `no control route ${method} ${rawPath}` });
    sendJson(res, 200, result ?? { ok: true });
  } catch (err: unknown) {
    if (err instanceof BadControlRequest) return sendJson(res, 400, { error: err.message });
    if (err instanceof SimNotFoundError) return sendJson(res, 404, { error: err.message });
    throw err;
  }
}

const NOT_FOUND = Symbol('not found');

async function controlRoute(
  sim: ZoomSimulator,
  route: string,
  meetingId: string | undefined,
  body: Json,
): Promise<unknown> {
  const id = meetingId ?? '';
  switch (route) {
    case 'GET /':
    case 'GET /info':
      return {
        url: sim.url,
        apiBaseUrl: sim.apiBaseUrl,
        oauthUrl: sim.oauthUrl,
        accountId: sim.accountId,
        clientId: sim.clientId,
        clientSecret: sim.clientSecret,
        webhookSecretToken: sim.webhookSecretToken,
      };
    case 'POST /faults':
      return sim.setFaults(faults(body));
    case 'POST /revoke':
      return sim.revokeTokens();
    case 'POST /reset':
      return sim.reset();
    case 'GET /users':
      return sim.users();
    case 'POST /users':
      return sim.addUser({
        id: optStr(body, 'id'),
        email: str(body, 'email'),
        name: optStr(body, 'name'),
      });
    case 'POST /channels':
      return sim.createChannel({
        id: optStr(body, 'id'),
        name: optStr(body, 'name'),
        members: optStrList(body, 'members'),
      });
    // ---- chat permissions (issue 12) ----
    case 'POST /channel-members':
      return sim.addChannelMember(str(body, 'channel'), str(body, 'user'));
    case 'DELETE /channel-members':
      return sim.removeChannelMember(str(body, 'channel'), str(body, 'user'));
    case 'POST /chat-role':
      return sim.setChatMessagesEdit(str(body, 'user'), optBool(body, 'editChatMessages') ?? true);
    // ---- end chat permissions ----
    case 'GET /meetings':
      return sim.meetings();
    case 'POST /meetings':
      return sim.createMeeting({
        id: idOf(body, 'id'),
        topic: optStr(body, 'topic'),
        hostEmail: optStr(body, 'hostEmail'),
        continuousChat: optBool(body, 'continuousChat'),
        webinar: optBool(body, 'webinar'),
      });
    case 'GET /meetings/:id':
      return sim.getMeeting(id);
    case 'POST /meetings/:id/start':
      return sim.startMeeting(id, { uuid: optStr(body, 'uuid') });
    case 'POST /meetings/:id/end':
      return sim.endMeeting(id);
    case 'POST /meetings/:id/join':
      return sim.join(id, {
        name: str(body, 'name'),
        email: optStr(body, 'email'),
        zoomUserId: optStr(body, 'zoomUserId'),
        registrantId: optStr(body, 'registrantId'),
        customerKey: optStr(body, 'customerKey'),
        phoneNumber: optStr(body, 'phoneNumber'),
      });
    case 'POST /meetings/:id/leave':
      return sim.leave(id, str(body, 'participant'));
    case 'POST /meetings/:id/waiting-room/join':
      return sim.joinWaitingRoom(id, {
        name: str(body, 'name'),
        email: optStr(body, 'email'),
        zoomUserId: optStr(body, 'zoomUserId'),
      });
    case 'POST /meetings/:id/admit':
      return sim.admit(id, str(body, 'participant'));
    case 'POST /meetings/:id/waiting-room/put':
      return sim.putInWaitingRoom(id, str(body, 'participant'));
    case 'GET /messages':
      return sim.messages();
    case 'GET /requests':
      return sim.requests();
    case 'GET /token-requests':
      return { count: sim.tokenRequests() };
    case 'POST /webhooks/target':
      return sim.setWebhookTarget(body.url === null ? null : str(body, 'url'), {
        duplicateRatio: optNum(body, 'duplicateRatio'),
        shuffleWindow: optNum(body, 'shuffleWindow'),
        concurrency: optNum(body, 'concurrency'),
      });
    case 'POST /webhooks/flush':
      return sim.flushWebhooks();
    case 'POST /webhooks/retry-failed':
      return { retried: sim.retryFailedWebhooks() };
    case 'GET /webhooks/deliveries':
      return sim.webhookDeliveries();
    case 'POST /webhooks/payload':
      return sim.webhookPayload(
        str(body, 'event') as WebhookEvent,
        idOf(body, 'meetingId'),
        optObj(body, 'participant') as SimParticipant | undefined,
        webhookExtra(optObj(body, 'extra')),
      );
    case 'POST /webhooks/sign':
      return sim.sign(str(body, 'rawBody'), optNum(body, 'timestamp'));
    case 'POST /webhooks/send': {
      const payload = typeof body.body === 'string' ? body.body : optObj(body, 'body');
      if (payload === undefined) throw new BadControlRequest('body must be a string or an object');
      return sim.sendWebhook(str(body, 'target'), payload, {
        timestamp: optNum(body, 'timestamp'),
        secret: optStr(body, 'secret'),
      });
    }
    default:
      return NOT_FOUND;
  }
}
