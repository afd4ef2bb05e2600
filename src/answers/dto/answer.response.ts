import { ApiProperty } from '@nestjs/swagger';

/** The JSON answer to POST /q/{token}/answer. */
export class AnswerResultDto {
  @ApiProperty({ example: 1 }) choice!: number;
  @ApiProperty({
    type: Boolean,
    nullable: true,
    description:
      'Whether the choice was right, revealed at once (as Kahoot does); null for a survey question, and on a shared channel link (where revealing it would let people probe under other emails). Which option was right is never revealed, so it cannot be passed on to those still answering.',
  })
  correct!: boolean | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 9,
    description:
      'Points earned (0 for a survey question; null on a shared channel link, see correct)',
  })
  score!: number | null;
  @ApiProperty({ example: 10, description: "The question's full points" })
  points!: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 2350,
    description:
      'Milliseconds from the message being sent; null on an anonymous question (not kept: with the answer time it would name the recipient)',
  })
  latency_ms!: number | null;
  @ApiProperty({ type: String, format: 'date-time' }) answered_at!: string;
}
