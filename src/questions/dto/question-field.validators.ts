import {
  ValidationArguments,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import { QUESTION_LIMITS, type QuestionType } from '../../question-types/question-types';
import { normalizeForMatch } from '../../question-types/text-match';
import { DEFAULT_TEXT_MAX_LENGTH, TYPE_FIELDS } from '../question.types';

/**
 * The rules that span fields of one question body (class-validator constraints on the DTOs of
 * create-question.dto.ts). Each passes when the field it depends on is itself invalid or absent:
 * that field has its own error, and one bad field gives one reason.
 */

type Body = Record<string, unknown>;
const RATING = QUESTION_LIMITS.rating;
const optionCount = (args: ValidationArguments): number | null => {
  const options = (args.object as Body).options;
  return Array.isArray(options) ? options.length : null;
};
const isIndex = (value: unknown, count: number): boolean =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < count;

/** single: correct_answer points at one of the options sent in the same body. */
@ValidatorConstraint({ name: 'correctAnswerInOptions' })
export class CorrectAnswerInOptions implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    const count = optionCount(args);
    return count === null || typeof value !== 'number' || value < count;
  }

  defaultMessage(args: ValidationArguments): string {
    const count = optionCount(args) ?? 0;
    return `correct_answer must be an index into options: ${String(args.value)} is outside options (0 to ${count - 1})`;
  }
}

/** multiple: every index in correct_answers points at an option. */
@ValidatorConstraint({ name: 'indexesIntoOptions' })
export class IndexesIntoOptions implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    const count = optionCount(args);
    if (count === null || !Array.isArray(value)) return true;
    return value.every((v) => typeof v !== 'number' || v < count);
  }

  defaultMessage(args: ValidationArguments): string {
    const count = optionCount(args) ?? 0;
    return `${args.property} must be indexes into options (0 to ${count - 1})`;
  }
}

/** multiple: max_choices leaves room for every right answer and no more than the options. */
@ValidatorConstraint({ name: 'maxChoicesFits' })
export class MaxChoicesFits implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    if (typeof value !== 'number') return true;
    const count = optionCount(args);
    const right = (args.object as Body).correct_answers;
    if (count !== null && value > count) return false;
    return !Array.isArray(right) || value >= right.length;
  }

  defaultMessage(args: ValidationArguments): string {
    const count = optionCount(args);
    const right = (args.object as Body).correct_answers;
    const least = Array.isArray(right) ? Math.max(1, right.length) : 1;
    return `max_choices must be from ${least} (the number of right answers) to ${count ?? 'the number of options'}`;
  }
}

/** ranking: correct_order names every option exactly once. */
@ValidatorConstraint({ name: 'permutationOfOptions' })
export class PermutationOfOptions implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    const count = optionCount(args);
    if (count === null || !Array.isArray(value)) return true;
    return (
      value.length === count &&
      value.every((v) => isIndex(v, count)) &&
      new Set(value).size === count
    );
  }

  defaultMessage(args: ValidationArguments): string {
    const count = optionCount(args) ?? 0;
    return `correct_order must list every option index (0 to ${count - 1}) exactly once`;
  }
}

/** rating: a scale has QUESTION_LIMITS.rating's 2 to 11 points, min below max. */
@ValidatorConstraint({ name: 'scaleSpan' })
export class ScaleSpan implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    const min = (args.object as Body).min;
    if (typeof value !== 'number' || typeof min !== 'number') return true;
    const points = value - min + 1;
    return points >= RATING.minPoints && points <= RATING.maxPoints;
  }

  defaultMessage(): string {
    return `scale must have ${RATING.minPoints} to ${RATING.maxPoints} points: max must be from min + ${RATING.minPoints - 1} to min + ${RATING.maxPoints - 1}`;
  }
}

/**
 * text: accepted answers are matched ignoring case, accents and spacing (normalizeForMatch), so
 * two that differ only in those are the same answer twice.
 */
@ValidatorConstraint({ name: 'distinctWhenMatched' })
export class DistinctWhenMatched implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) return true;
    return new Set(value.map((v: string) => normalizeForMatch(v))).size === value.length;
  }

  defaultMessage(): string {
    return 'accepted_answers must be distinct ignoring case, accents and spacing';
  }
}

/** text: an accepted answer longer than max_length could never be typed. */
@ValidatorConstraint({ name: 'fitsMaxLength' })
export class FitsMaxLength implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    if (!Array.isArray(value)) return true;
    const max = maxLengthOf(args);
    return value.every((v) => typeof v !== 'string' || v.length <= max);
  }

  defaultMessage(args: ValidationArguments): string {
    return `each accepted answer must fit max_length (${maxLengthOf(args)} characters)`;
  }
}

/** numeric: a tolerance is a distance from correct_value, so it needs one. */
@ValidatorConstraint({ name: 'toleranceNeedsValue' })
export class ToleranceNeedsValue implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    const correct = (args.object as Body).correct_value;
    return value === null || value === undefined || (correct !== null && correct !== undefined);
  }

  defaultMessage(): string {
    return 'tolerance is only allowed with a correct_value (send tolerance null, or a correct_value)';
  }
}

/**
 * A field of another type, sent: a 400 that names it and says whose it is. Added to each type's
 * DTO for every field that type lacks (create-question.dto.ts), so it is also whitelisted there.
 */
@ValidatorConstraint({ name: 'fieldOfAnotherType' })
export class FieldOfAnotherType implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return value === undefined;
  }

  defaultMessage(args: ValidationArguments): string {
    const [type] = args.constraints as [QuestionType];
    if (type === 'true_false' && args.property === 'options') {
      return 'options must not be sent for a true_false question: its options are always True and False';
    }
    const owners = (Object.keys(TYPE_FIELDS) as QuestionType[]).filter((t) =>
      TYPE_FIELDS[t].includes(args.property as never),
    );
    const own = TYPE_FIELDS[type].join(', ');
    return `${args.property} is a field of ${owners.join(', ')} questions, not of a ${type} question (whose fields are ${own})`;
  }
}

function maxLengthOf(args: ValidationArguments): number {
  const max = (args.object as Body).max_length;
  return typeof max === 'number' && Number.isInteger(max) && max > 0
    ? max
    : DEFAULT_TEXT_MAX_LENGTH;
}
