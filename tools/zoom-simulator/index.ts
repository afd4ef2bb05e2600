/** The Zoom simulator: a real HTTP server speaking the Zoom APIs this product uses (README.md). */
export { startZoomSimulator, DEFAULT_SCOPES, type ZoomSimulator } from './simulator';
export { PRO_RATE_LIMITS } from './rate-limiter';
export {
  signWebhook,
  webhookSignature,
  urlValidationAnswer,
  isValidUrlValidationResponse,
  ZOOM_WEBHOOK_TIMEOUT_MS,
  type WebhookBody,
  type WebhookExtra,
  type WebhookHeaders,
  type WebhookResult,
  type WebhookTargetOptions,
} from './webhooks';
export { CHAT_MESSAGE_MAX, decodeMeetingPathId } from './zoom-api';
export type { JoinInput, CreateMeetingInput } from './world';
export type * from './types';
