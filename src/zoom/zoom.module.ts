import { HttpModule } from '@nestjs/axios';
import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ZoomBudget, ZoomBudgetSchema } from './schemas/zoom-budget.schema';
import { ZoomBudgetStore } from './zoom-budget.store';
import { ZoomChatRefusals } from './zoom-chat-refusals';
import { ZoomChatService } from './zoom-chat.service';
import { ZoomDiagnosticsService } from './zoom-diagnostics.service';
import { ZoomHttpClient } from './zoom-http.client';
import { ZoomMeetingsService } from './zoom-meetings.service';
import { ZoomTokenService } from './zoom-token.service';
import { ZoomController } from './zoom.controller';

/**
 * Everything the service says to Zoom. Other modules import it and inject ZoomChatService or
 * ZoomMeetingsService. The token service and HTTP client stay inside: a Zoom endpoint not wrapped
 * yet gets a method on one of those services, so every call shares the one token, rate limit and
 * retry policy.
 */
@Module({
  imports: [
    HttpModule,
    MongooseModule.forFeature([{ name: ZoomBudget.name, schema: ZoomBudgetSchema }]),
  ],
  controllers: [ZoomController],
  providers: [
    ZoomTokenService,
    ZoomBudgetStore,
    ZoomHttpClient,
    ZoomChatService,
    ZoomChatRefusals,
    ZoomMeetingsService,
    ZoomDiagnosticsService,
  ],
  exports: [ZoomChatService, ZoomMeetingsService],
})
export class ZoomModule {}
