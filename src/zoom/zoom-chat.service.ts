import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import {
  ZoomApiError,
  ZoomChatPermissionError,
  ZoomConfigError,
  ZoomInvalidRequestError,
  ZoomOutcomeUnknownError,
} from './zoom-api.error';
import { chatProblemFix, chatProblemOf, ZoomChatRefusals } from './zoom-chat-refusals';
import { backoffDelay } from './retry-policy';
import { ZoomHttpClient, type ZoomResponse } from './zoom-http.client';

export interface SendOptions {
  /**
   * Text that identifies this message in Zoom's list of sent messages, for confirming a post
   * answered 5xx (default: the whole message). Must survive any edit Zoom makes to the text.
   */
  marker?: string;
  /** A message id the confirmation must not take for this one (an earlier message of the same marker). */
  excludeId?: string | null;
}

/**
 * Team Chat's limit on `message` (docs/zoom.md §2). Counted in UTF-16 code units (JavaScript's
 * `length`), the stricter of the plausible readings: Zoom does not say how it counts (inferred).
 */
export const ZOOM_CHAT_MESSAGE_MAX_LENGTH = 1024;

/** Exactly one Team Chat target (docs/zoom.md §2): a contact's email (or user id), or a channel id. */
export type ZoomChatTarget = { toContact: string } | { toChannel: string };

/** Sends Team Chat messages from the configured sender (docs/zoom.md §2). */
@Injectable()
export class ZoomChatService {
  private readonly logger = new Logger(ZoomChatService.name);

  constructor(
    private readonly http: ZoomHttpClient,
    private readonly config: AppConfig,
    private readonly refusals: ZoomChatRefusals,
  ) {}

  /**
   * Posts `message` from ZOOM_CHAT_SENDER to a contact or a channel; resolves to Zoom's message
   * id. A message Zoom would refuse (empty, over 1024 characters, no single target) is refused
   * here, before any call, with ZoomInvalidRequestError.
   *
   * A 5xx answer may come after Zoom applied the post (docs/zoom.md §2), so it is not simply
   * retried: after a back-off the message is looked up by `marker` (default: the whole text) in
   * Zoom's list of sent messages, and posted again only when it is not there, up to
   * ZOOM_MAX_ATTEMPTS posts. A 5xx confirmed absent after the last post is a retryable
   * ZoomApiError (nothing was sent); one that cannot be confirmed, like a post without any
   * answer, is ZoomOutcomeUnknownError, for the caller to confirm later.
   */
  async sendMessage(
    target: ZoomChatTarget,
    message: string,
    options: SendOptions = {},
  ): Promise<{ messageId: string | null }> {
    const since = new Date();
    const { maxAttempts } = this.config.zoom;
    for (let post = 1; ; post++) {
      try {
        return await this.postOnce(target, message);
      } catch (error) {
        if (!(error instanceof ZoomOutcomeUnknownError) || error.status < 500) throw error;
        // A shutdown during the wait must not turn "maybe posted" into a plain retryable error.
        await this.http.pause(backoffDelay(post)).catch(() => {
          throw error;
        });
        let found: { messageId: string } | null;
        try {
          found = await this.findSentMessage(target, options.marker ?? message, {
            since,
            excludeId: options.excludeId,
          });
        } catch {
          throw error; // cannot tell: the caller confirms later, never resends blindly
        }
        if (found) return found;
        if (post >= maxAttempts) {
          // Confirmed absent: the 5xx was a refusal after all, and a later retry is safe.
          throw new ZoomApiError({
            status: error.status,
            code: error.code,
            zoomMessage: error.zoomMessage.replace(/; Zoom may have applied it$/, ''),
            trackingId: error.trackingId,
            retryable: true,
          });
        }
        this.logger.warn(
          `Zoom answered ${error.status} to a chat post that its message list does not show; posting again (${post}/${maxAttempts})`,
        );
      }
    }
  }

  private async postOnce(
    target: ZoomChatTarget,
    message: string,
  ): Promise<{ messageId: string | null }> {
    const body = { message, ...chatTarget(target) };
    if (message.length === 0) throw new ZoomInvalidRequestError('The message is empty');
    if (message.length > ZOOM_CHAT_MESSAGE_MAX_LENGTH) {
      throw new ZoomInvalidRequestError(
        `The message is ${message.length} characters long; Zoom Team Chat accepts at most ${ZOOM_CHAT_MESSAGE_MAX_LENGTH}`,
      );
    }
    const sender = this.config.zoom.chatSender;
    if (sender === '') {
      throw new ZoomConfigError(
        { status: 0, code: null, zoomMessage: 'not sent: no sender configured', trackingId: null },
        'set ZOOM_CHAT_SENDER to the email of the account user who sends the questions',
      );
    }
    const channelId = 'to_channel' in body ? body.to_channel : null;
    let response: ZoomResponse<unknown>;
    try {
      // `{userId}` in the path is the SENDER, not the recipient (docs/zoom.md §2).
      response = await this.http.request<unknown>({
        method: 'POST',
        path: '/chat/users/{userId}/messages',
        params: { userId: sender },
        body,
        label: 'medium',
        // No idempotency key in Team Chat: a post whose answer never came is not sent blindly again.
        idempotent: false,
      });
    } catch (error) {
      throw this.explainRefusal(error, sender, channelId);
    }
    this.refusals.clearAfterSuccess(sender, channelId);
    const id = (response.data as { id?: unknown } | null)?.id;
    if (typeof id !== 'string' || id === '') {
      // A 2xx is Zoom's word that the message was posted: it is sent, id or not. Calling it a
      // failure would let an ordinary retry post it a second time.
      this.logger.warn(
        `Zoom accepted a chat message without a message id (x-zm-trackingid=${response.trackingId ?? 'none'})`,
      );
      return { messageId: null };
    }
    return { messageId: id };
  }

  /**
   * A refusal only an admin can fix (channel membership, the sender's role: docs/zoom.md §2)
   * becomes a ZoomChatPermissionError that says what to change, and is kept for
   * `GET /api/test-zoom`; any other error is returned as it is.
   */
  private explainRefusal(error: unknown, sender: string, channelId: string | null): unknown {
    if (!(error instanceof ZoomApiError)) return error;
    const problem = chatProblemOf(error, channelId === null ? {} : { toChannel: channelId });
    if (problem === null) return error;
    const fix = chatProblemFix(problem, sender, channelId);
    this.refusals.record({
      problem,
      sender,
      channelId: problem === 'not_channel_member' ? channelId : null,
      fix,
      zoomStatus: error.status,
      zoomCode: error.code,
      zoomMessage: error.zoomMessage,
      trackingId: error.trackingId,
      seenAt: new Date(),
    });
    return new ZoomChatPermissionError(
      {
        status: error.status,
        code: error.code,
        zoomMessage: error.zoomMessage,
        trackingId: error.trackingId,
      },
      fix,
      problem,
    );
  }

  /**
   * Looks for a message the sender posted to `target` at or after `since` whose text contains
   * `marker` (a delivery's unique answer link): how the outcome of a post whose answer never came
   * is found out ("List user's chat messages", docs/zoom.md §7, Medium). Resolves to its id, or
   * null when Zoom lists no such message; throws ZoomApiError when Zoom cannot be asked.
   */
  async findSentMessage(
    target: ZoomChatTarget,
    marker: string,
    options: { since: Date; excludeId?: string | null },
  ): Promise<{ messageId: string } | null> {
    const sender = this.config.zoom.chatSender;
    const to = chatTarget(target);
    // Zoom's clock and ours differ a little; a wider window costs nothing but a longer page.
    const from = new Date(options.since.getTime() - LIST_CLOCK_SKEW_MS);
    const until = new Date(Date.now() + LIST_CLOCK_SKEW_MS);
    let pageToken = '';
    for (let page = 0; page < LIST_MAX_PAGES; page++) {
      const response = await this.http.request<unknown>({
        method: 'GET',
        path: '/chat/users/{userId}/messages',
        params: { userId: sender },
        query: {
          ...to,
          from: zoomDateTime(from),
          to: zoomDateTime(until),
          page_size: LIST_PAGE_SIZE,
          next_page_token: pageToken === '' ? undefined : pageToken,
        },
        label: 'medium',
      });
      const data = (response.data ?? {}) as { messages?: unknown; next_page_token?: unknown };
      const messages = Array.isArray(data.messages) ? (data.messages as ListedMessage[]) : [];
      const found = messages.find(
        (m) =>
          typeof m?.id === 'string' &&
          m.id !== options.excludeId &&
          typeof m.message === 'string' &&
          m.message.includes(marker),
      );
      if (found) return { messageId: found.id as string };
      pageToken = typeof data.next_page_token === 'string' ? data.next_page_token : '';
      if (pageToken === '') return null;
    }
    // More pages than a confirmation should ever need: say "cannot tell" rather than "not there".
    throw new ZoomApiError({
      status: 0,
      code: null,
      zoomMessage: `more than ${LIST_MAX_PAGES * LIST_PAGE_SIZE} messages to look through`,
      trackingId: null,
      retryable: false,
    });
  }
}

/** One entry of "List user's chat messages" (docs/zoom.md §7); only what a confirmation reads. */
interface ListedMessage {
  id?: unknown;
  message?: unknown;
}

const LIST_PAGE_SIZE = 50;
const LIST_MAX_PAGES = 10;
const LIST_CLOCK_SKEW_MS = 60_000;

/** Zoom's date-time query format: ISO 8601 UTC without milliseconds. */
function zoomDateTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function chatTarget(target: ZoomChatTarget): { to_contact: string } | { to_channel: string } {
  const contact = 'toContact' in target ? target.toContact : undefined;
  const channel = 'toChannel' in target ? target.toChannel : undefined;
  if (contact !== undefined && channel !== undefined) {
    throw new ZoomInvalidRequestError('Give either toContact or toChannel, not both');
  }
  if (typeof contact === 'string' && contact.trim() !== '') return { to_contact: contact.trim() };
  if (typeof channel === 'string' && channel.trim() !== '') return { to_channel: channel.trim() };
  throw new ZoomInvalidRequestError('A Team Chat message needs a contact (email) or a channel id');
}
