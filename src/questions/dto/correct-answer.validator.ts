import {
  ValidationArguments,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';

/** correct_answer must point at one of the options sent in the same body. */
@ValidatorConstraint({ name: 'correctAnswerInOptions' })
export class CorrectAnswerInOptions implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    const options = (args.object as { options?: unknown }).options;
    if (!Array.isArray(options)) return true; // options has its own error, or is absent (PATCH)
    return typeof value === 'number' && value < options.length;
  }

  defaultMessage(args: ValidationArguments): string {
    const options = (args.object as { options?: unknown[] }).options ?? [];
    return `correct_answer must be an index into options (0 to ${options.length - 1})`;
  }
}
