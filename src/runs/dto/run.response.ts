import { ApiProperty } from '@nestjs/swagger';
import { QUESTION_TYPES, type QuestionType } from '../../question-types/question-types';
import { DeliveryCountsDto } from '../../broadcasts/dto/broadcast.response';
import {
  RUN_ARM_STATES,
  RUN_END_REASONS,
  RUN_PACINGS,
  RUN_STATES,
  type RunArmState,
  type RunEndReason,
  type RunPacing,
  type RunState,
} from '../run.types';

export class RunCurrentQuestionDto {
  @ApiProperty({ description: 'The bank question id, as listed in the set' }) id!: string;
  @ApiProperty({ description: 'Its position in the run (0-based)' }) index!: number;
  @ApiProperty() title!: string;
  @ApiProperty() question_text!: string;
  @ApiProperty({ enum: QUESTION_TYPES }) type!: QuestionType;
  @ApiProperty({ description: 'Seconds' }) time_limit!: number;
  @ApiProperty({ type: String, format: 'date-time' }) opened_at!: string;
  @ApiProperty({ type: String, format: 'date-time' }) deadline!: string;
  @ApiProperty({
    description:
      "The step broadcast holding this question's answers: GET /api/broadcasts/{id}/results, its live stream, close and reveal",
  })
  step_broadcast_id!: string;
}

export class RunStepDto {
  @ApiProperty() index!: number;
  @ApiProperty({ description: 'The bank question id' }) question_id!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: QUESTION_TYPES }) type!: QuestionType;
  @ApiProperty() time_limit!: number;
  @ApiProperty() step_broadcast_id!: string;
  @ApiProperty({ description: 'Answers stored for this question so far' }) answers!: number;
}

export class RunCountsDto {
  @ApiProperty({
    type: DeliveryCountsDto,
    description: "The run's messages (one per person), by delivery status",
  })
  recipients!: DeliveryCountsDto;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Instructor pacing, while running: answers to the current question',
  })
  current_answers!: number | null;
  @ApiProperty({
    type: [Number],
    description: 'Answers per question, in run order (self pacing: how far people got)',
  })
  answered_per_question!: number[];
}

export class RunResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() set_id!: string;
  @ApiProperty() meeting_id!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: RUN_PACINGS }) pacing!: RunPacing;
  @ApiProperty({
    enum: RUN_STATES,
    description: "'starting' only for a moment (its messages are being written)",
  })
  state!: RunState;
  @ApiProperty({ enum: RUN_END_REASONS, nullable: true, type: String })
  end_reason!: RunEndReason | null;
  @ApiProperty({ description: '+1 on every change of state or question' }) version!: number;
  @ApiProperty() show_results_between!: boolean;
  @ApiProperty() anonymous!: boolean;
  @ApiProperty() speed_scoring!: boolean;
  @ApiProperty({ type: Number, nullable: true }) auto_advance_seconds!: number | null;
  @ApiProperty({ description: "The run's broadcast (kind run): its messages and recipients" })
  broadcast_id!: string;
  @ApiProperty({
    type: RunCurrentQuestionDto,
    nullable: true,
    description: 'Instructor pacing, while running; else null',
  })
  current_question!: RunCurrentQuestionDto | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Self pacing: when the run ends by itself',
  })
  ends_at!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) started_at!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) ended_at!: string | null;
  @ApiProperty({ type: RunCountsDto }) counts!: RunCountsDto;
  @ApiProperty({ type: [RunStepDto] }) steps!: RunStepDto[];
  @ApiProperty({ type: String, nullable: true, description: 'The armed start that started it' })
  arm_id!: string | null;
}

export class RunArmResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() set_id!: string;
  @ApiProperty() meeting_id!: string;
  @ApiProperty() delay_seconds!: number;
  @ApiProperty({
    enum: RUN_ARM_STATES,
    description:
      'armed: waiting for the meeting to start; scheduled: the meeting started, the run starts at start_at; started: run_id is the run; disarmed: by DELETE, or the start could not happen (error says why)',
  })
  state!: RunArmState;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) start_at!: string | null;
  @ApiProperty({ type: String, nullable: true }) run_id!: string | null;
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) created_at!: string;
}

export class MeetingRunsResponseDto {
  @ApiProperty() meeting_id!: string;
  @ApiProperty({ type: [RunResponseDto], description: 'Newest first' }) items!: RunResponseDto[];
  @ApiProperty({
    type: [RunArmResponseDto],
    description: 'Armed starts, newest first (state says which are still waiting)',
  })
  arms!: RunArmResponseDto[];
}
