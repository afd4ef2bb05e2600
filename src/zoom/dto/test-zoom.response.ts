import { ApiProperty } from '@nestjs/swagger';
import { REQUIRED_SCOPES } from '../zoom-scopes';
import type { ZoomConnectionReport } from '../zoom-diagnostics.service';

const requiredList = REQUIRED_SCOPES.map(
  (need) => `${need.scope} (or ${need.alternatives.join(', ')}): ${need.purpose}`,
).join('; ');

export class ZoomChatProblemDto {
  @ApiProperty({
    enum: ['not_channel_member', 'sender_role'],
    description:
      'not_channel_member: ZOOM_CHAT_SENDER is not in the channel it posted to; sender_role: its role may not edit Chat Messages',
  })
  problem!: 'not_channel_member' | 'sender_role';

  @ApiProperty({ type: String, nullable: true, description: 'The channel, for not_channel_member' })
  channel_id!: string | null;

  @ApiProperty({
    description: 'What an admin must change',
    example: 'add that user to the channel',
  })
  fix!: string;

  @ApiProperty({ example: 400 }) zoom_status!: number;
  @ApiProperty({ type: String, nullable: true, example: '5301' }) zoom_code!: string | null;
  @ApiProperty({ example: 'Request to send message failed.' }) zoom_message!: string;
  @ApiProperty({ type: String, nullable: true, description: "Zoom's x-zm-trackingid" })
  tracking_id!: string | null;

  @ApiProperty({ description: 'When a send met this refusal (ISO 8601)' }) seen_at!: string;
}

export class ZoomDailyLimitDto {
  @ApiProperty({
    enum: ['light', 'medium', 'heavy'],
    description: "Zoom's rate-limit label (Team Chat sends are medium)",
  })
  label!: 'light' | 'medium' | 'heavy';

  @ApiProperty({
    description: 'When Zoom accepts calls under this label again (ISO 8601)',
    example: '2026-01-02T00:00:00.000Z',
  })
  resets_at!: string;

  @ApiProperty({ description: "Zoom's message" }) zoom_message!: string;
  @ApiProperty({ type: String, nullable: true, description: "Zoom's x-zm-trackingid" })
  tracking_id!: string | null;
}

export class TestZoomResponseDto {
  @ApiProperty({
    description: 'True when Zoom issued a token and it holds every scope this service needs',
    example: true,
  })
  ok!: boolean;

  @ApiProperty({ description: 'ZOOM_ACCOUNT_ID the token was issued for', example: 'AbCdEf123' })
  account_id!: string;

  @ApiProperty({
    description: 'ZOOM_API_BASE_URL (e.g. https://api.zoomgov.com/v2 for Zoom for Government)',
    example: 'https://api.zoom.us/v2',
  })
  api_base_url!: string;

  @ApiProperty({
    type: [String],
    description: 'Scopes Zoom granted the token (never the token itself)',
    example: ['chat_message:write:admin', 'meeting:read:admin', 'dashboard_meetings:read:admin'],
  })
  scopes!: string[];

  @ApiProperty({
    type: [String],
    description: `Needed scopes the token lacks, by classic name. Needed: ${requiredList}`,
    example: [],
  })
  missing_scopes!: string[];

  @ApiProperty({ description: 'ZOOM_CHAT_SENDER, the account user questions are sent as' })
  chat_sender!: string;

  @ApiProperty({
    type: [ZoomChatProblemDto],
    description:
      "Sends Zoom refused for the sender's channel membership or role, as this instance last saw " +
      'them (Zoom offers no check that sends nothing); each clears when a later send proves it fixed. ' +
      'Any entry makes `ok` false.',
  })
  chat_problems!: ZoomChatProblemDto[];

  @ApiProperty({
    type: [ZoomDailyLimitDto],
    description:
      'Labels whose daily Zoom limit is spent: calls under them fail at once (deliveries with reason zoom_daily_limit) until resets_at. Any entry makes `ok` false.',
  })
  daily_limits!: ZoomDailyLimitDto[];
}

export function toTestZoomResponse(report: ZoomConnectionReport): TestZoomResponseDto {
  return {
    ok: report.ok,
    account_id: report.accountId,
    api_base_url: report.apiBaseUrl,
    scopes: report.scopes,
    missing_scopes: report.missingScopes,
    chat_sender: report.chatSender,
    chat_problems: report.chatProblems.map((p) => ({
      problem: p.problem,
      channel_id: p.channelId,
      fix: p.fix,
      zoom_status: p.zoomStatus,
      zoom_code: p.zoomCode === null ? null : String(p.zoomCode),
      zoom_message: p.zoomMessage,
      tracking_id: p.trackingId,
      seen_at: p.seenAt.toISOString(),
    })),
    daily_limits: report.dailyLimits.map((d) => ({
      label: d.label,
      resets_at: d.resetsAt.toISOString(),
      zoom_message: d.zoomMessage,
      tracking_id: d.trackingId,
    })),
  };
}
