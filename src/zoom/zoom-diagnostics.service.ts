import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { missingScopes } from './zoom-scopes';
import { ZoomTokenService } from './zoom-token.service';

export interface ZoomConnectionReport {
  ok: boolean;
  accountId: string;
  apiBaseUrl: string;
  scopes: string[];
  missingScopes: string[];
}

/** Checks the Zoom configuration end to end: credentials, account and granted scopes. */
@Injectable()
export class ZoomDiagnosticsService {
  constructor(
    private readonly tokens: ZoomTokenService,
    private readonly config: AppConfig,
  ) {}

  /** Gets a fresh token (throws ZoomApiError / ZoomConfigError when Zoom refuses). */
  async testConnection(): Promise<ZoomConnectionReport> {
    const { scopes } = await this.tokens.refresh();
    const missing = missingScopes(scopes);
    return {
      ok: missing.length === 0,
      accountId: this.config.zoom.accountId,
      apiBaseUrl: this.config.zoom.apiBaseUrl,
      scopes,
      missingScopes: missing,
    };
  }
}
