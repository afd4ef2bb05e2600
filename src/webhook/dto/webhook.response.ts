import { ApiProperty } from '@nestjs/swagger';

/** The answer Zoom expects to endpoint.url_validation (docs/zoom.md §3). */
export class UrlValidationResponseDto {
  @ApiProperty({ example: 'qgg8vlvZRS6UYooatFL8Aw' })
  plainToken!: string;

  @ApiProperty({
    example: '23a89b634c017e5364a1c8d9c8ea909b60dd5599e2bb04bb1558d9c3a121faa5',
    description: 'hex(HMAC_SHA256(webhook secret token, plainToken))',
  })
  encryptedToken!: string;
}

export class WebhookAckDto {
  @ApiProperty({ example: 'meeting.participant_joined' })
  event!: string;

  @ApiProperty({
    description: 'false for event types this service does not use (acknowledged, ignored)',
  })
  handled!: boolean;
}
