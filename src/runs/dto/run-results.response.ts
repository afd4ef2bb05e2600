import { ApiProperty } from '@nestjs/swagger';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../../broadcasts/broadcast.types';
import { LeaderboardEntryDto, ResultsResponseDto } from '../../results/dto/results.response';
import { RUN_PACINGS, RUN_STATES, type RunPacing, type RunState } from '../run.types';

/** One question of a run: where it sits and its results, as its step broadcast's results. */
export class RunQuestionResultsDto {
  @ApiProperty({ description: 'Position in the run, from 0' }) index!: number;
  @ApiProperty({ description: 'The bank question, as listed in the set' }) question_id!: string;
  @ApiProperty({
    description:
      'The step broadcast holding the question (GET /api/broadcasts/{id}/results and its stream work on it)',
  })
  broadcast_id!: string;
  @ApiProperty({
    type: ResultsResponseDto,
    description: 'The body of GET /api/broadcasts/{broadcast_id}/results for this question',
  })
  results!: ResultsResponseDto;
}

/** One person's answer to one question of the run (or its absence). */
export class RunPersonAnswerDto {
  @ApiProperty() index!: number;
  @ApiProperty() question_id!: string;
  @ApiProperty() answered!: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'The answer in words' })
  answer_text!: string | null;
  @ApiProperty({
    type: Boolean,
    nullable: true,
    description: 'Full credit; null: no answer, or a question with no right answer',
  })
  correct!: boolean | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Credit 0 to 1; null as for correct' })
  credit!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Points earned; null: no answer' })
  score!: number | null;
}

/** One person of the run: everyone who got the run link, and anyone who answered. */
export class RunPersonDto {
  @ApiProperty({ description: 'The person key (as in the results)' }) person_key!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
  @ApiProperty({
    enum: DELIVERY_STATUSES,
    nullable: true,
    description:
      'Their run message (with the personal run link); null: they answered without one of their own',
  })
  link_status!: DeliveryStatus | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: "Their place in the run's leaderboard; null: answered nothing",
  })
  rank!: number | null;
  @ApiProperty({ type: [RunPersonAnswerDto], description: 'One per question, in run order' })
  answers!: RunPersonAnswerDto[];
  @ApiProperty({ description: 'Sum of their scores' }) total_score!: number;
  @ApiProperty({ description: 'Right answers (full credit)' }) correct_count!: number;
  @ApiProperty({ description: 'Questions answered' }) answered_count!: number;
}

export class RunResultsResponseDto {
  @ApiProperty() run_id!: string;
  @ApiProperty() meeting_id!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: RUN_STATES }) state!: RunState;
  @ApiProperty({ enum: RUN_PACINGS }) pacing!: RunPacing;
  @ApiProperty({
    description:
      'An anonymous run: aggregates only (per question), no leaderboard and no per-person rows',
  })
  anonymous!: boolean;
  @ApiProperty({ description: 'People sent a run link (run broadcast deliveries)' })
  recipients!: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      'People who answered at least one question; null for an anonymous run (its answers name no one)',
  })
  participants!: number | null;
  @ApiProperty({ type: [RunQuestionResultsDto], description: 'In run order' })
  questions!: RunQuestionResultsDto[];
  @ApiProperty({
    type: [LeaderboardEntryDto],
    description:
      "The run's cumulative leaderboard: totals over its questions, ranked as the meeting leaderboard is (equal totals with equal right answers share a rank); empty for an anonymous run",
  })
  leaderboard!: LeaderboardEntryDto[];
  @ApiProperty({
    type: [RunPersonDto],
    description:
      'Per person: every answer and the totals, by name; everyone sent the run link, then anyone else who answered; empty for an anonymous run',
  })
  people!: RunPersonDto[];
}
