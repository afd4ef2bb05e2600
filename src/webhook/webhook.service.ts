import { Injectable, Logger } from '@nestjs/common';
import { ParticipantsService } from '../participants/participants.service';
import { UrlValidationResponseDto, WebhookAckDto } from './dto/webhook.response';
import { parseZoomWebhook } from './webhook-events';
import { encryptPlainToken } from './webhook-signature';

const NO_MEETING =
  'payload.object.id is missing and payload.object.uuid is not an occurrence this service has stored';

/**
 * Acts on a verified Zoom webhook: store, then answer. Nothing here calls Zoom, so the answer
 * comes well inside Zoom's 3 s budget (docs/zoom.md §3).
 */
@Injectable()
export class WebhookService {
  private readonly logger = new Logger(WebhookService.name);

  constructor(private readonly participants: ParticipantsService) {}

  /**
   * `secret` is the one that verified this request, so a rotation answers with the new secret.
   * `requestId` goes into the one log line of an event that could not be used.
   */
  async handle(
    body: unknown,
    secret: string,
    requestId: string,
  ): Promise<UrlValidationResponseDto | WebhookAckDto> {
    const webhook = parseZoomWebhook(body);
    switch (webhook.type) {
      case 'url_validation':
        return {
          plainToken: webhook.plainToken,
          encryptedToken: encryptPlainToken(secret, webhook.plainToken),
        };
      case 'participant': {
        const meetingId = await this.meetingIdOf(webhook.data);
        if (meetingId === null) return this.notUsed(webhook.event, requestId, NO_MEETING);
        await this.participants.recordParticipantEvent({ ...webhook.data, meetingId });
        return { event: webhook.event, handled: true };
      }
      case 'occurrence': {
        const meetingId = await this.meetingIdOf(webhook.data);
        if (meetingId === null) return this.notUsed(webhook.event, requestId, NO_MEETING);
        await this.participants.recordOccurrenceEvent({ ...webhook.data, meetingId });
        return { event: webhook.event, handled: true };
      }
      case 'unusable':
        return this.notUsed(webhook.event, requestId, webhook.reason);
      case 'ignored':
        this.logger.debug(`Ignored Zoom event ${webhook.event}`);
        return { event: webhook.event, handled: false };
    }
  }

  private async meetingIdOf(data: {
    meetingId: string | null;
    meetingUuid: string;
  }): Promise<string | null> {
    return data.meetingId ?? this.participants.meetingIdOfOccurrence(data.meetingUuid);
  }

  /**
   * A correctly signed, known event we cannot act on is still a 2xx: Zoom retries anything else
   * and then stops sending the event (docs/zoom.md §3), and the retry would carry the same body.
   * One line per request, field names only, never the payload (it holds names and emails).
   */
  private notUsed(event: string, requestId: string, reason: string): WebhookAckDto {
    this.logger.warn(`[${requestId}] Zoom event ${event} acknowledged but not used: ${reason}`);
    return { event, handled: false };
  }
}
