import { Module } from '@nestjs/common';
import { ParticipantsModule } from '../participants/participants.module';
import { WebhookSignatureHook } from './webhook-signature.hook';
import { WebhookController } from './webhook.controller';
import { WebhookService } from './webhook.service';

/** POST /api/zoom/webhook: signature check before parsing, URL validation, event dispatch. */
@Module({
  imports: [ParticipantsModule],
  controllers: [WebhookController],
  providers: [WebhookService, WebhookSignatureHook],
})
export class WebhookModule {}
