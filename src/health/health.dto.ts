import { ApiProperty } from '@nestjs/swagger';

export class HealthDto {
  @ApiProperty({ enum: ['ok', 'error'] })
  status!: 'ok' | 'error';

  @ApiProperty({ enum: ['up', 'down'] })
  database!: 'up' | 'down';
}

export class ServiceInfoDto {
  @ApiProperty({ example: 'zoom-live-questions' })
  name!: string;

  @ApiProperty({ example: '0.1.0' })
  version!: string;

  @ApiProperty({ example: '/docs' })
  docs!: string;

  @ApiProperty({ example: '/docs-json' })
  openapi!: string;
}
