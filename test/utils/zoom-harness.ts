/**
 * The zoom module on its own, wired to a running Zoom simulator over real HTTP: the real
 * ZoomModule providers (token service, HTTP client, chat and meetings services) with a test
 * configuration, and a logger that records what the module logs. No database is involved: the
 * client paces itself alone (ZOOM_RATE_BUDGET=process, one instance), so the shared budget's
 * MongoDB model is never used and stands in empty. The shared budget is tested through the app
 * (test/zoom-shared-budget.e2e-spec.ts).
 */
import { LoggerService, ModuleMetadata } from '@nestjs/common';
import { getModelToken } from '@nestjs/mongoose';
import { Test, TestingModule } from '@nestjs/testing';
import type { ZoomSimulator } from '../../tools/zoom-simulator';
import { AppConfig } from '../../src/config/app-config';
import { parseEnv } from '../../src/config/env.schema';
import { MetricsService } from '../../src/metrics/metrics.service';
import { ZoomChatService } from '../../src/zoom/zoom-chat.service';
import { ZoomBudget } from '../../src/zoom/schemas/zoom-budget.schema';
import { ZoomHttpClient } from '../../src/zoom/zoom-http.client';
import { ZoomMeetingsService } from '../../src/zoom/zoom-meetings.service';
import { ZoomTokenService } from '../../src/zoom/zoom-token.service';
import { ZoomModule } from '../../src/zoom/zoom.module';

export const HARNESS_SENDER = 'quiz-host@example.com';

/** Environment that points the app at `sim`, as production variables would point at Zoom. */
export function zoomEnv(
  sim: ZoomSimulator,
  overrides: Record<string, string> = {},
): Record<string, string> {
  return {
    ZOOM_ACCOUNT_ID: sim.accountId,
    ZOOM_CLIENT_ID: sim.clientId,
    ZOOM_CLIENT_SECRET: sim.clientSecret,
    ZOOM_CHAT_SENDER: HARNESS_SENDER,
    ZOOM_API_BASE_URL: sim.apiBaseUrl,
    ZOOM_OAUTH_URL: sim.oauthUrl,
    ...overrides,
  };
}

export class RecordingLogger implements LoggerService {
  readonly lines: string[] = [];
  log(message: unknown): void {
    this.lines.push(String(message));
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.lines.push([message, ...rest].map(String).join(' '));
  }
  warn(message: unknown): void {
    this.lines.push(String(message));
  }
  debug(message: unknown): void {
    this.lines.push(String(message));
  }
  verbose(message: unknown): void {
    this.lines.push(String(message));
  }
}

export interface ZoomHarness {
  moduleRef: TestingModule;
  config: AppConfig;
  chat: ZoomChatService;
  meetings: ZoomMeetingsService;
  http: ZoomHttpClient;
  tokens: ZoomTokenService;
  logs: RecordingLogger;
  close(): Promise<void>;
}

/** `env` uses the production variable names (ZOOM_RATE_LIMIT_MEDIUM, ZOOM_MAX_ATTEMPTS, ...). */
export async function startZoomHarness(
  sim: ZoomSimulator,
  env: Record<string, string> = {},
): Promise<ZoomHarness> {
  const config = parseEnv({
    NODE_ENV: 'test',
    // Required by the schema; nothing here touches a database.
    MONGO_URI: 'mongodb://127.0.0.1:1/unused',
    API_KEYS: 'zoom-harness-key-0123456789',
    ZOOM_RATE_BUDGET: 'process',
    ...zoomEnv(sim, env),
  });
  const configModule: NonNullable<ModuleMetadata['imports']>[number] = {
    module: class HarnessConfigModule {},
    global: true,
    // The client reports its calls to the metrics (a registry of the harness's own).
    providers: [{ provide: AppConfig, useValue: config }, MetricsService],
    exports: [AppConfig, MetricsService],
  };
  const logs = new RecordingLogger();
  const moduleRef = await Test.createTestingModule({ imports: [configModule, ZoomModule] })
    .overrideProvider(getModelToken(ZoomBudget.name))
    .useValue({})
    .setLogger(logs)
    .compile();
  await moduleRef.init();
  return {
    moduleRef,
    config,
    chat: moduleRef.get(ZoomChatService),
    meetings: moduleRef.get(ZoomMeetingsService),
    http: moduleRef.get(ZoomHttpClient),
    tokens: moduleRef.get(ZoomTokenService),
    logs,
    close: () => moduleRef.close(),
  };
}

/** How many messages each recipient got, from the simulator's record. */
export function countPerRecipient(sim: ZoomSimulator): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of sim.messages()) {
    const key = m.to_contact ?? `channel:${m.to_channel ?? ''}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}
