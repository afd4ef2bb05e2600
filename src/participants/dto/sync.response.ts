import { ApiProperty } from '@nestjs/swagger';

export class SyncResponseDto {
  @ApiProperty({ example: '85746065432' })
  meeting_id!: string;

  @ApiProperty({ description: 'Occurrence UUID the snapshot was applied to' })
  meeting_uuid!: string;

  @ApiProperty({ description: 'Joins that were missing or closed here and are open in Zoom' })
  added!: number;

  @ApiProperty({ description: 'Joins open here that Zoom lists as left, or no longer lists' })
  closed!: number;

  @ApiProperty({ description: 'Joins whose state already agreed with Zoom' })
  unchanged!: number;

  @ApiProperty({ description: 'People in the meeting after the sync' })
  total!: number;
}
