import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateBy,
  type ValidationArguments,
} from 'class-validator';
import { OBJECT_ID_PATTERN } from '../../common/http/parse-object-id.pipe';
import { PageQueryDto } from '../../common/paging/newest-first';
import { IsOptionalNonNull } from '../../common/validation/is-optional-non-null';
import { RUN_PACINGS, type RunPacing } from '../../runs/run.types';

/** The most questions a set holds: a lesson's quiz, and a run page that stays light. */
export const MAX_SET_QUESTIONS = 50;
export const SET_TITLE_MAX = 200;
/** The longest auto-advance pause (seconds): ten minutes. */
export const MAX_AUTO_ADVANCE_SECONDS = 600;

const OBJECT_ID = new RegExp(OBJECT_ID_PATTERN);

/** The ids listed more than once, each named once, in their first order (case-insensitive). */
export function duplicatesOf(ids: readonly unknown[]): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const id of ids) {
    if (typeof id !== 'string') continue;
    const key = id.toLowerCase();
    if (seen.has(key)) repeated.add(key);
    seen.add(key);
  }
  return [...repeated];
}

/** A set asks each question once: a duplicate is refused, named, rather than silently dropped. */
function DistinctIds(): PropertyDecorator {
  return ValidateBy({
    name: 'distinctIds',
    validator: {
      validate: (value: unknown) => !Array.isArray(value) || duplicatesOf(value).length === 0,
      defaultMessage: (args?: ValidationArguments) =>
        `question_ids lists ${duplicatesOf(args?.value as unknown[]).join(', ')} more than once: a set asks each question once`,
    },
  });
}

/** The questions of a set: POST and PATCH take them by this one rule. */
function QuestionIds(required: boolean): PropertyDecorator {
  const doc: ApiPropertyOptions = {
    type: [String],
    minItems: 1,
    maxItems: MAX_SET_QUESTIONS,
    uniqueItems: true,
    example: ['665f1c2e8a1b2c3d4e5f6a7b', '665f1c2e8a1b2c3d4e5f6a7c'],
    description: `Bank question ids in the order a run asks them: 1 to ${MAX_SET_QUESTIONS}, each once, each a question you can see in the bank (a missing one is a 400 naming it).`,
  };
  return applyDecorators(
    required ? ApiProperty(doc) : ApiPropertyOptional(doc),
    ...(required ? [] : [IsOptionalNonNull()]),
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(MAX_SET_QUESTIONS),
    Matches(OBJECT_ID, {
      each: true,
      message: 'each of question_ids must be a question id (24 hexadecimal characters)',
    }),
    DistinctIds(),
  );
}

const TITLE = { minLength: 1, maxLength: SET_TITLE_MAX, example: 'Week 3 check-in' };

function Title(required: boolean): PropertyDecorator {
  return applyDecorators(
    required ? ApiProperty(TITLE) : ApiPropertyOptional(TITLE),
    ...(required ? [] : [IsOptionalNonNull()]),
    IsString(),
    Length(1, SET_TITLE_MAX),
    Matches(/\S/, { message: 'title must not be blank' }),
  );
}

function Pacing(required: boolean): PropertyDecorator {
  const doc = {
    enum: RUN_PACINGS,
    example: 'instructor',
    description:
      'instructor: everyone is on the question the instructor moves the run to; self: each person goes through the questions at their own pace, each with its own time limit',
  };
  return applyDecorators(
    required ? ApiProperty(doc) : ApiPropertyOptional(doc),
    ...(required ? [] : [IsOptionalNonNull()]),
    IsIn(RUN_PACINGS, { message: `pacing must be one of: ${RUN_PACINGS.join(', ')}` }),
  );
}

function Flag(description: string, defaultValue: boolean): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: Boolean, default: defaultValue, description }),
    IsOptionalNonNull(),
    IsBoolean(),
  );
}

const SHOW_RESULTS =
  "Instructor pacing: the run page's waiting screen between questions shows the last question's results";
const ANONYMOUS =
  'Answers are stored with no link to the person (aggregates only, no leaderboard); cannot be combined with speed_scoring';
const SPEED = 'Faster correct answers score more (not with anonymous)';

function AutoAdvance(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'integer',
      nullable: true,
      minimum: 0,
      maximum: MAX_AUTO_ADVANCE_SECONDS,
      default: null,
      description:
        "Instructor pacing only: move on by itself this many seconds after a question's time is up, or as soon as everyone present has answered; null: only `next` moves on. Refused with self pacing (400).",
    }),
    // null is a value here (no auto-advance), so plain IsOptional: absent or null skip the rest.
    IsOptional(),
    IsInt({ message: 'auto_advance_seconds must be a whole number of seconds, or null' }),
    Min(0),
    Max(MAX_AUTO_ADVANCE_SECONDS),
  );
}

/** POST /api/question-sets. */
export class CreateQuestionSetDto {
  @Title(true) title!: string;
  @QuestionIds(true) question_ids!: string[];
  @Pacing(true) pacing!: RunPacing;
  @Flag(SHOW_RESULTS, true) show_results_between?: boolean;
  @Flag(ANONYMOUS, false) anonymous?: boolean;
  @Flag(SPEED, false) speed_scoring?: boolean;
  @AutoAdvance() auto_advance_seconds?: number | null;
}

/**
 * PATCH /api/question-sets/{id}: the fields sent; question_ids replaces the whole list. An explicit
 * null is refused (IsOptionalNonNull) except for auto_advance_seconds, where null means "off".
 */
export class PatchQuestionSetDto {
  @Title(false) title?: string;
  @QuestionIds(false) question_ids?: string[];
  @Pacing(false) pacing?: RunPacing;
  @Flag(SHOW_RESULTS, true) show_results_between?: boolean;
  @Flag(ANONYMOUS, false) anonymous?: boolean;
  @Flag(SPEED, false) speed_scoring?: boolean;
  @AutoAdvance() auto_advance_seconds?: number | null;
}

/** GET /api/question-sets: the common paging, newest first. */
export class ListQuestionSetsQueryDto extends PageQueryDto {}
