import { Injectable, Logger } from '@nestjs/common';
import { ParticipantsService } from '../participants/participants.service';
import { UrlValidationResponseDto, WebhookAckDto } from './dto/webhook.response';
import { parseZoomWebhook } from './webhook-events';
import { encryptPlainToken } from './webhook-signature';

/**
 * Acts on a verified Zoom webhook: store, then answer. Nothing here calls Zoom, so the answer
 * comes well inside Zoom's 3 s budget (docs/zoom.md §3).
 */
@Injectable()
export class WebhookService {
  private readonly logger = new Logger(WebhookService.name);

  constructor(private readonly participants: ParticipantsService) {}

  /** `secret` is the one that verified this request, so a rotation answers with the new secret. */
  async handle(body: unknown, secret: string): Promise<UrlValidationResponseDto | WebhookAckDto> {
    const webhook = parseZoomWebhook(body);
    switch (webhook.type) {
      case 'url_validation':
        return {
          plainToken: webhook.plainToken,
          encryptedToken: encryptPlainToken(secret, webhook.plainToken),
        };
      case 'participant':
        await this.participants.recordParticipantEvent(webhook.data);
        return { event: webhook.event, handled: true };
      case 'occurrence':
        await this.participants.recordOccurrenceEvent(webhook.data);
        return { event: webhook.event, handled: true };
      case 'ignored':
        this.logger.debug(`Ignored Zoom event ${webhook.event}`);
        return { event: webhook.event, handled: false };
    }
  }
}
