import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import type { DailyLimitPause } from './daily-limit';
import { ZoomChatRefusal, ZoomChatRefusals } from './zoom-chat-refusals';
import { ZoomHttpClient } from './zoom-http.client';
import { missingScopes } from './zoom-scopes';
import { ZoomTokenService } from './zoom-token.service';

export interface ZoomConnectionReport {
  ok: boolean;
  accountId: string;
  apiBaseUrl: string;
  scopes: string[];
  missingScopes: string[];
  /** ZOOM_CHAT_SENDER. */
  chatSender: string;
  /**
   * Refusals of real sends that only an admin can fix (channel membership, the sender's role),
   * as this instance last saw them: Zoom offers no check that sends nothing (see
   * zoom-chat-refusals.ts).
   */
  chatProblems: ZoomChatRefusal[];
  /** Labels paused by Zoom's daily limit, each until its reset (docs/zoom.md §4). */
  dailyLimits: DailyLimitPause[];
}

/**
 * Checks the Zoom configuration end to end: credentials, account and granted scopes, and reports
 * the sends Zoom refused for the sender's channel membership or role.
 */
@Injectable()
export class ZoomDiagnosticsService {
  constructor(
    private readonly tokens: ZoomTokenService,
    private readonly config: AppConfig,
    private readonly refusals: ZoomChatRefusals,
    private readonly http: ZoomHttpClient,
  ) {}

  /** Gets a fresh token (throws ZoomApiError / ZoomConfigError when Zoom refuses). */
  async testConnection(): Promise<ZoomConnectionReport> {
    const { scopes } = await this.tokens.refresh();
    const missing = missingScopes(scopes);
    const chatSender = this.config.zoom.chatSender;
    const chatProblems = this.refusals.current(chatSender);
    const dailyLimits = this.http.dailyLimits();
    return {
      ok: missing.length === 0 && chatProblems.length === 0 && dailyLimits.length === 0,
      accountId: this.config.zoom.accountId,
      apiBaseUrl: this.config.zoom.apiBaseUrl,
      scopes,
      missingScopes: missing,
      chatSender,
      chatProblems,
      dailyLimits,
    };
  }
}
