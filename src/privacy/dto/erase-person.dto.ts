import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, MaxLength } from 'class-validator';

export class PersonEmailParamDto {
  @ApiProperty({
    description: "The person's email (as Zoom gave it or as they typed it; any case)",
    example: 'ada@example.com',
    maxLength: 254,
  })
  @MaxLength(254, { message: 'email must be at most 254 characters' })
  @IsEmail({}, { message: 'email must be an email address' })
  email!: string;
}

export class ErasedCountsDto {
  @ApiProperty({ description: 'Join records, in every meeting' }) participants!: number;
  @ApiProperty({ description: 'Team Chat deliveries made to the person' }) deliveries!: number;
  @ApiProperty({ description: 'Answers, direct and typed in a channel' }) answers!: number;
  @ApiProperty({
    description:
      'Kept Idempotency-Key answers (POST /api/send-question lists recipients) the person was removed from',
  })
  idempotency_keys!: number;
  @ApiProperty({
    description:
      'Remembered hosts of meetings (what Zoom said) that named the person; asked of Zoom again when needed',
  })
  meeting_hosts!: number;
  @ApiProperty({ description: 'Course rosters the person was taken off (one line each)' })
  roster_entries!: number;
  @ApiProperty({ description: 'Places in runs of question sets (one per run the person was in)' })
  run_progress!: number;
}

export class ErasureResponseDto {
  @ApiProperty({ type: ErasedCountsDto, description: 'What was removed, per collection' })
  removed!: ErasedCountsDto;
}
