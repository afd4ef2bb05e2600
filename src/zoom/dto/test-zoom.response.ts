import { ApiProperty } from '@nestjs/swagger';
import { REQUIRED_SCOPES } from '../zoom-scopes';
import type { ZoomConnectionReport } from '../zoom-diagnostics.service';

const requiredList = REQUIRED_SCOPES.map(
  (need) => `${need.scope} (or ${need.alternatives.join(', ')}): ${need.purpose}`,
).join('; ');

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
}

export function toTestZoomResponse(report: ZoomConnectionReport): TestZoomResponseDto {
  return {
    ok: report.ok,
    account_id: report.accountId,
    api_base_url: report.apiBaseUrl,
    scopes: report.scopes,
    missing_scopes: report.missingScopes,
  };
}
