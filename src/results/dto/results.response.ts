import { ApiProperty } from '@nestjs/swagger';
import {
  BROADCAST_MODES,
  DELIVERY_STATUSES,
  type BroadcastMode,
  type DeliveryStatus,
} from '../../broadcasts/broadcast.types';

export class ResultsQuestionDto {
  @ApiProperty() title!: string;
  @ApiProperty() question_text!: string;
  @ApiProperty({ type: [String] }) options!: string[];
  @ApiProperty({ type: Number, nullable: true, description: 'null for a survey question' })
  correct_answer!: number | null;
  @ApiProperty() time_limit!: number;
  @ApiProperty() points!: number;
}

export class OptionCountDto {
  @ApiProperty({ example: 1 }) index!: number;
  @ApiProperty({ example: 'Paris' }) text!: string;
  @ApiProperty({ example: 12 }) count!: number;
  @ApiProperty({ example: 60, description: 'Share of the answers, 0 to 100, one decimal' })
  percent!: number;
  @ApiProperty({ type: Boolean, nullable: true, description: 'null for a survey question' })
  correct!: boolean | null;
}

/** Running counts: what the live stream sends on each answer, and part of the results. */
export class TallyDto {
  @ApiProperty({ example: 20 }) answered!: number;
  @ApiProperty({ type: [OptionCountDto] }) options!: OptionCountDto[];
  @ApiProperty({ type: Number, nullable: true, example: 12, description: 'null for a survey' })
  correct_count!: number | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 60,
    description:
      'Right answers as a share of the answers, 0 to 100; null for a survey or no answers',
  })
  correct_percent!: number | null;
}

/** The live stream's `state` event: the answer window as the instructor sees it now. */
export class ResultsStateDto {
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: "When the last recipient's window ends (the close if earlier); as in the results",
  })
  closes_at!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) closed_at!: string | null;
  @ApiProperty() revealed!: boolean;
}

/**
 * How the person behind an answer is known: `verified`, Zoom identified them (direct mode: the
 * personal link went to them); `self_reported`, they typed a name and email on a channel's shared
 * link, which anyone could have typed.
 */
export const ANSWER_IDENTITIES = ['verified', 'self_reported'] as const;
export type AnswerIdentity = (typeof ANSWER_IDENTITIES)[number];

const IDENTITY_DESCRIPTION =
  'verified: Zoom identified the person (their personal link). self_reported: a name and email typed on the shared channel link, a claim anyone could make.';

export class ResponseRowDto {
  @ApiProperty({
    description:
      'The person: Zoom user id, else lower-cased email; `self:` + the typed email for a self-reported answer',
  })
  recipient_key!: string;
  @ApiProperty({ enum: ANSWER_IDENTITIES, description: IDENTITY_DESCRIPTION })
  identity!: AnswerIdentity;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
  @ApiProperty() choice!: number;
  @ApiProperty() choice_text!: string;
  @ApiProperty({ type: Boolean, nullable: true }) correct!: boolean | null;
  @ApiProperty() score!: number;
  @ApiProperty({ description: 'Milliseconds from their message being sent to their answer' })
  latency_ms!: number;
  @ApiProperty({ type: String, format: 'date-time' }) answered_at!: string;
}

export const NON_RESPONDER_REASONS = [
  'no_answer',
  'not_delivered',
  'unconfirmed',
  'unreachable',
  'joined_after_send',
  'left_meeting',
] as const;
export type NonResponderReason = (typeof NON_RESPONDER_REASONS)[number];

export class NonResponderDto {
  @ApiProperty() person_key!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
  @ApiProperty({ description: 'In the meeting now (per Zoom webhooks)' }) in_meeting!: boolean;
  @ApiProperty({
    enum: DELIVERY_STATUSES,
    nullable: true,
    description: 'Their delivery, or null if they joined after the send',
  })
  delivery_status!: DeliveryStatus | null;
  @ApiProperty({
    enum: NON_RESPONDER_REASONS,
    description:
      'no_answer: got the question, has not answered. not_delivered: the message has not gone out (pending or failed). unconfirmed: the message went out but Zoom could not confirm it arrived. unreachable: Team Chat cannot reach them (guest). joined_after_send: joined the meeting after the question was sent. left_meeting: got the question, did not answer, and has left.',
  })
  reason!: NonResponderReason;
}

export class ResultsResponseDto {
  @ApiProperty() broadcast_id!: string;
  @ApiProperty() meeting_id!: string;
  @ApiProperty({ enum: BROADCAST_MODES }) mode!: BroadcastMode;
  @ApiProperty({ type: ResultsQuestionDto }) question!: ResultsQuestionDto;
  @ApiProperty({ description: 'Some recipient can still answer (or is still being sent to)' })
  open!: boolean;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      "When the last recipient's answer window ends (the instructor's close if earlier); null until a message has gone out. A countdown runs to this",
  })
  closes_at!: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the instructor closed the window for everyone (POST .../close)',
  })
  closed_at!: string | null;
  @ApiProperty({
    description: 'The right answer has been revealed to those who answered (POST .../reveal)',
  })
  revealed!: boolean;
  @ApiProperty({
    description: 'Delivery records: one per person (direct), or the one channel message (channel)',
  })
  recipients!: number;
  @ApiProperty({ description: 'Recipients whose message went out (sent_at set)' })
  delivered!: number;
  @ApiProperty() answered!: number;
  @ApiProperty({ description: 'Answers from people Zoom identified (direct mode)' })
  answered_verified!: number;
  @ApiProperty({
    description: 'Answers under a typed name and email (channel mode): claims, not verified',
  })
  answered_self_reported!: number;
  @ApiProperty({ description: 'Number of non_responders' }) not_answered!: number;
  @ApiProperty({ type: [OptionCountDto] }) options!: OptionCountDto[];
  @ApiProperty({ type: Number, nullable: true }) correct_count!: number | null;
  @ApiProperty({ type: Number, nullable: true }) correct_percent!: number | null;
  @ApiProperty({ type: [ResponseRowDto], description: 'Every answer, in the order received' })
  responses!: ResponseRowDto[];
  @ApiProperty({
    type: [NonResponderDto],
    description:
      'People in the meeting now who have not answered, plus people who got the question, did not answer and have since left (in_meeting false)',
  })
  non_responders!: NonResponderDto[];
}

export class RemindResponseDto {
  @ApiProperty({ description: 'Recipients the link is being sent to again' }) reminded!: number;
}

export class LeaderboardEntryDto {
  @ApiProperty({
    example: 1,
    description: 'Equal totals with equal right answers share a rank (1, 2, 2, 4)',
  })
  rank!: number;
  @ApiProperty({ description: 'As in the results: `self:` + the email for a self-reported row' })
  person_key!: string;
  @ApiProperty({
    enum: ANSWER_IDENTITIES,
    description: `${IDENTITY_DESCRIPTION} A self-reported row is never merged into a verified one.`,
  })
  identity!: AnswerIdentity;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
  @ApiProperty({ description: 'Sum of scores over the meeting' }) total!: number;
  @ApiProperty({ description: 'Questions answered' }) answered!: number;
  @ApiProperty({ description: 'Right answers' }) correct!: number;
}

export class LeaderboardResponseDto {
  @ApiProperty() meeting_id!: string;
  @ApiProperty({ type: [LeaderboardEntryDto] }) items!: LeaderboardEntryDto[];
}
