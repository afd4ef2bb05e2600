import { ApiExtraModels, ApiProperty, getSchemaPath } from '@nestjs/swagger';
import {
  BROADCAST_MODES,
  DELIVERY_STATUSES,
  type BroadcastMode,
  type DeliveryStatus,
} from '../../broadcasts/broadcast.types';
import { QUESTION_TYPES, type QuestionType } from '../../question-types/question-types';

export class ResultsScaleDto {
  @ApiProperty({ example: 1 }) min!: number;
  @ApiProperty({ example: 5 }) max!: number;
  @ApiProperty({ type: String, nullable: true, example: 'Poor' }) min_label!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'Great' }) max_label!: string | null;
}

/** The question as sent (the broadcast's snapshot): the fields of its type, the others null. */
export class ResultsQuestionDto {
  @ApiProperty({ enum: QUESTION_TYPES, description: 'single for questions stored before types' })
  type!: QuestionType;
  @ApiProperty() title!: string;
  @ApiProperty() question_text!: string;
  @ApiProperty({
    type: [String],
    description: 'single, multiple, ranking: as written; true_false: True, False; others: []',
  })
  options!: string[];
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'single, true_false: the right option; null for a survey or another type',
  })
  correct_answer!: number | null;
  @ApiProperty({ type: [Number], nullable: true, description: 'multiple: every right option' })
  correct_answers!: number[] | null;
  @ApiProperty({ type: Number, nullable: true, description: 'multiple: most options per answer' })
  max_choices!: number | null;
  @ApiProperty({ type: ResultsScaleDto, nullable: true, description: 'rating' })
  scale!: ResultsScaleDto | null;
  @ApiProperty({ type: Number, nullable: true, description: 'numeric' }) correct_value!:
    number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'numeric' }) tolerance!: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'numeric' }) unit!: string | null;
  @ApiProperty({ type: [String], nullable: true, description: 'text' })
  accepted_answers!: string[] | null;
  @ApiProperty({ type: Number, nullable: true, description: 'text' }) max_length!: number | null;
  @ApiProperty({
    type: [Number],
    nullable: true,
    description: 'ranking: option indices, top first',
  })
  correct_order!: number[] | null;
  @ApiProperty() time_limit!: number;
  @ApiProperty() points!: number;
}

export class OptionCountDto {
  @ApiProperty({ example: 1 }) index!: number;
  @ApiProperty({ example: 'Paris' }) text!: string;
  @ApiProperty({ example: 12 }) count!: number;
  @ApiProperty({
    example: 60,
    description:
      'Share of the answers, 0 to 100, one decimal. multiple: share of answers that picked it (the shares add up to more than 100)',
  })
  percent!: number;
  @ApiProperty({ type: Boolean, nullable: true, description: 'null for a survey question' })
  correct!: boolean | null;
}

/** single, true_false: the counts per option are the tally's `options`. */
export class ChoiceSummaryDto {
  @ApiProperty({ enum: ['single', 'true_false'] }) type!: 'single' | 'true_false';
}

/** multiple: per-option counts are the tally's `options`; these add the whole-answer view. */
export class MultipleSummaryDto {
  @ApiProperty({ enum: ['multiple'] }) type!: 'multiple';
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Answers whose set of options is exactly the right set; null for a survey',
  })
  exact_matches!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'exact_matches as a share, 0 to 100' })
  exact_percent!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Mean options picked per answer' })
  mean_picked!: number | null;
}

export class RatingPointDto {
  @ApiProperty({ example: 4 }) value!: number;
  @ApiProperty({ example: 7 }) count!: number;
  @ApiProperty({ example: 35, description: 'Share of the answers, 0 to 100' }) percent!: number;
}

/** rating: every point of the scale (zeros included), mean and median. */
export class RatingSummaryDto {
  @ApiProperty({ enum: ['rating'] }) type!: 'rating';
  @ApiProperty({ type: ResultsScaleDto }) scale!: ResultsScaleDto;
  @ApiProperty({ type: [RatingPointDto], description: 'min to max, every point' })
  distribution!: RatingPointDto[];
  @ApiProperty({ type: Number, nullable: true, description: 'Three decimals; null: no answers' })
  mean!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'May fall between two points' })
  median!: number | null;
}

export class HistogramBucketDto {
  @ApiProperty({ example: 10, description: 'Inclusive' }) from!: number;
  @ApiProperty({
    example: 20,
    description:
      'Exclusive, except the last bucket, which holds the maximum (from = to when every answer is equal)',
  })
  to!: number;
  @ApiProperty({ example: 4 }) count!: number;
}

/**
 * numeric: order statistics and a histogram. Quartiles interpolate between closest ranks (rank
 * (n - 1) p, as spreadsheets' QUARTILE.INC); buckets: docs/architecture.md §18. The share within tolerance is the tally's `correct_percent`.
 */
export class NumericSummaryDto {
  @ApiProperty({ enum: ['numeric'] }) type!: 'numeric';
  @ApiProperty({ type: String, nullable: true }) unit!: string | null;
  @ApiProperty({ type: Number, nullable: true }) min!: number | null;
  @ApiProperty({ type: Number, nullable: true }) q1!: number | null;
  @ApiProperty({ type: Number, nullable: true }) median!: number | null;
  @ApiProperty({ type: Number, nullable: true }) q3!: number | null;
  @ApiProperty({ type: Number, nullable: true }) max!: number | null;
  @ApiProperty({ type: Number, nullable: true }) mean!: number | null;
  @ApiProperty({
    type: [HistogramBucketDto],
    description:
      'About ceil(log2 n) + 1 buckets (at most 12) of a round width (1, 2, 2.5 or 5 times a power of ten; whole numbers when every answer is whole), ascending, empty ones included',
  })
  buckets!: HistogramBucketDto[];
}

export class WordCountDto {
  @ApiProperty({ example: 'photosynthesis' }) word!: string;
  @ApiProperty({ example: 6, description: 'Answers using the word (once per answer)' })
  count!: number;
}

export class TextAnswerCountDto {
  @ApiProperty({ example: 'Paris' }) text!: string;
  @ApiProperty({
    example: 3,
    description:
      'Answers equal to it ignoring case, accents and spacing (the first one received is shown)',
  })
  count!: number;
}

/** text: the answers (grouped, most frequent first) and word frequencies for a word cloud. */
export class TextSummaryDto {
  @ApiProperty({ enum: ['text'] }) type!: 'text';
  @ApiProperty({
    type: [WordCountDto],
    description:
      "The 100 most used words, most used first then alphabetically: lower case, the stop words of each answer's page language dropped",
  })
  words!: WordCountDto[];
  @ApiProperty({
    type: [TextAnswerCountDto],
    description:
      'The answers, equal ones grouped, most frequent first then alphabetically (never in the order received). The results hold all; the live stream the 50 most frequent',
  })
  answers!: TextAnswerCountDto[];
  @ApiProperty({ description: 'Distinct answers in all (more than `answers` holds when cut)' })
  distinct_answers!: number;
}

export class RankingItemDto {
  @ApiProperty({ example: 0 }) index!: number;
  @ApiProperty({ example: 'Mercury' }) text!: string;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 1.4,
    description: 'Mean place given (1 = top), three decimals; null: no answers',
  })
  mean_position!: number | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Its right place (1 = top); null for a survey',
  })
  correct_position!: number | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Share of the answers that put it in its right place, 0 to 100; null for a survey',
  })
  in_place_percent!: number | null;
}

/** ranking: per option, in the options' order (a chart sorts by mean_position). */
export class RankingSummaryDto {
  @ApiProperty({ enum: ['ranking'] }) type!: 'ranking';
  @ApiProperty({ type: [RankingItemDto] }) items!: RankingItemDto[];
}

export type TypeSummaryDto =
  | ChoiceSummaryDto
  | MultipleSummaryDto
  | RatingSummaryDto
  | NumericSummaryDto
  | TextSummaryDto
  | RankingSummaryDto;

const SUMMARY_MODELS = {
  single: ChoiceSummaryDto,
  true_false: ChoiceSummaryDto,
  multiple: MultipleSummaryDto,
  rating: RatingSummaryDto,
  numeric: NumericSummaryDto,
  text: TextSummaryDto,
  ranking: RankingSummaryDto,
} as const;

const SUMMARY_VARIANTS = [...new Set(Object.values(SUMMARY_MODELS))];

/** The per-type section in OpenAPI: oneOf its variants, told apart by `type`. */
const SUMMARY_SCHEMA = {
  oneOf: SUMMARY_VARIANTS.map((m) => ({ $ref: getSchemaPath(m) })),
  discriminator: {
    propertyName: 'type',
    mapping: Object.fromEntries(
      Object.entries(SUMMARY_MODELS).map(([type, m]) => [type, getSchemaPath(m)]),
    ),
  },
};

/** Running counts: what the live stream sends on each answer, and part of the results. */
@ApiExtraModels(...SUMMARY_VARIANTS)
export class TallyDto {
  @ApiProperty({ enum: QUESTION_TYPES }) type!: QuestionType;
  @ApiProperty({ example: 20 }) answered!: number;
  @ApiProperty({
    type: [OptionCountDto],
    description: 'single, true_false, multiple: counts per option; [] for the other types',
  })
  options!: OptionCountDto[];
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 12,
    description: 'Answers with full credit; null for a survey or a rating',
  })
  correct_count!: number | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 60,
    description:
      'Right answers (full credit) as a share of the answers, 0 to 100; null for a survey or no answers',
  })
  correct_percent!: number | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 0.75,
    description:
      'Mean credit, 0 to 1, three decimals (partial credit: multiple and ranking); null for a survey or no answers',
  })
  mean_credit!: number | null;
  @ApiProperty({
    description: "The question type's own section, told apart by `type`",
    ...SUMMARY_SCHEMA,
  })
  summary!: TypeSummaryDto;
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
  @ApiProperty({ type: Number, nullable: true, description: 'single, true_false; else null' })
  choice!: number | null;
  @ApiProperty({ description: "single, true_false: the option's text; else ''" })
  choice_text!: string;
  @ApiProperty({ type: [Number], nullable: true, description: 'multiple: the options picked' })
  choices!: number[] | null;
  @ApiProperty({ type: Number, nullable: true, description: 'rating, numeric' })
  value!: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'text' }) text!: string | null;
  @ApiProperty({
    type: [Number],
    nullable: true,
    description: 'ranking: option indices, top first',
  })
  order!: number[] | null;
  @ApiProperty({
    example: 'Paris; Rome',
    description: 'The answer in words, for any type (as in the CSV)',
  })
  answer_text!: string;
  @ApiProperty({ type: Boolean, nullable: true, description: 'Full credit; null for a survey' })
  correct!: boolean | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Credit 0 to 1 (partial for multiple and ranking); null for a survey',
  })
  credit!: number | null;
  @ApiProperty() score!: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Milliseconds from their message being sent to their answer (null: anonymous)',
  })
  latency_ms!: number | null;
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

@ApiExtraModels(...SUMMARY_VARIANTS)
export class ResultsResponseDto {
  @ApiProperty() broadcast_id!: string;
  @ApiProperty() meeting_id!: string;
  @ApiProperty({ enum: BROADCAST_MODES }) mode!: BroadcastMode;
  @ApiProperty({
    description:
      'An anonymous question: aggregates only (`responses` is empty; text answers are in `summary.answers`, grouped and sorted); non_responders still lists who has not answered',
  })
  anonymous!: boolean;
  @ApiProperty({ enum: QUESTION_TYPES, description: "The question's type (as question.type)" })
  type!: QuestionType;
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
  @ApiProperty({ type: [OptionCountDto], description: 'As in TallyDto' })
  options!: OptionCountDto[];
  @ApiProperty({ type: Number, nullable: true, description: 'As in TallyDto' })
  correct_count!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'As in TallyDto' })
  correct_percent!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'As in TallyDto' })
  mean_credit!: number | null;
  @ApiProperty({
    description: 'The per-type section, as in TallyDto (one oneOf variant per type, by `type`)',
    ...SUMMARY_SCHEMA,
  })
  summary!: TypeSummaryDto;
  @ApiProperty({
    type: [ResponseRowDto],
    description: 'Every answer, in the order received; empty for an anonymous question',
  })
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
