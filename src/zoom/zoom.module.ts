import { HttpModule } from '@nestjs/axios';
import { Module } from '@nestjs/common';
import { ZoomChatService } from './zoom-chat.service';
import { ZoomDiagnosticsService } from './zoom-diagnostics.service';
import { ZoomHttpClient } from './zoom-http.client';
import { ZoomMeetingsService } from './zoom-meetings.service';
import { ZoomTokenService } from './zoom-token.service';
import { ZoomController } from './zoom.controller';

/**
 * Everything the service says to Zoom. Import it and inject ZoomChatService or
 * ZoomMeetingsService; ZoomHttpClient is exported for endpoints not wrapped yet, so that every
 * call still shares the one token, rate limit and retry policy.
 */
@Module({
  imports: [HttpModule],
  controllers: [ZoomController],
  providers: [
    ZoomTokenService,
    ZoomHttpClient,
    ZoomChatService,
    ZoomMeetingsService,
    ZoomDiagnosticsService,
  ],
  exports: [ZoomChatService, ZoomMeetingsService, ZoomHttpClient, ZoomTokenService],
})
export class ZoomModule {}
