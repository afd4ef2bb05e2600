import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { ZoomConfigError, ZoomApiError, ZoomInvalidRequestError } from './zoom-api.error';
import { ZoomHttpClient } from './zoom-http.client';

/**
 * Team Chat's limit on `message` (ZOOM.md §2). Counted in UTF-16 code units (JavaScript's
 * `length`), the stricter of the plausible readings: Zoom does not say how it counts (inferred).
 */
export const ZOOM_CHAT_MESSAGE_MAX_LENGTH = 1024;

/** Exactly one Team Chat target (ZOOM.md §2): a contact's email (or user id), or a channel id. */
export type ZoomChatTarget = { toContact: string } | { toChannel: string };

/** Sends Team Chat messages from the configured sender (ZOOM.md §2). */
@Injectable()
export class ZoomChatService {
  constructor(
    private readonly http: ZoomHttpClient,
    private readonly config: AppConfig,
  ) {}

  /**
   * Posts `message` from ZOOM_CHAT_SENDER to a contact or a channel; resolves to Zoom's message
   * id. A message Zoom would refuse (empty, over 1024 characters, no single target) is refused
   * here, before any call, with ZoomInvalidRequestError.
   */
  async sendMessage(target: ZoomChatTarget, message: string): Promise<{ messageId: string }> {
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
    // `{userId}` in the path is the SENDER, not the recipient (ZOOM.md §2).
    const response = await this.http.request<unknown>({
      method: 'POST',
      path: '/chat/users/{userId}/messages',
      params: { userId: sender },
      body,
      label: 'medium',
    });
    const id = (response.data as { id?: unknown } | null)?.id;
    if (typeof id !== 'string' || id === '') {
      // Zoom accepted the message, so retrying could post it twice: not retryable.
      throw new ZoomApiError({
        status: response.status,
        code: null,
        zoomMessage: 'Zoom accepted the message but answered without a message id',
        trackingId: response.trackingId,
        retryable: false,
      });
    }
    return { messageId: id };
  }
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
