import {
  ArgumentMetadata,
  BadRequestException,
  ValidationError,
  ValidationPipe,
} from '@nestjs/common';
import { FieldErrorDto } from './error-body';

/** Flattens nested class-validator errors to `items.0.title`-style field paths. */
export function flattenValidationErrors(errors: ValidationError[], prefix = ''): FieldErrorDto[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, errors: Object.values(error.constraints) }] : [];
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/** The validator's options of the global pipe, for code that validates a class itself. */
export const VALIDATOR_OPTIONS = { whitelist: true, forbidNonWhitelisted: true } as const;

/** The one 400 a validation failure answers: a summary message and the per-field details. */
export function validationFailed(details: FieldErrorDto[]): BadRequestException {
  const summary = details.flatMap((d) => d.errors).join('; ');
  return new BadRequestException({ message: `Validation failed: ${summary}`, details });
}

/** The one message for a body that is not a JSON object. */
export const NOT_AN_OBJECT = 'The request body must be a JSON object';

const NOT_DTO: unknown[] = [String, Boolean, Number, Array, Object, Buffer];

/**
 * ValidationPipe, plus: a body bound to a DTO class must be a JSON object when present. Nest
 * validates `null`, `42` or `[]` as if they were `{}`, so `PATCH` with a `null` body answered 200
 * (found by test/fuzz/run.sh). An absent body is left to the DTO's own rules.
 */
class AppValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const isDto = typeof metadata.metatype === 'function' && !NOT_DTO.includes(metadata.metatype);
    if (
      metadata.type === 'body' &&
      isDto &&
      value !== undefined &&
      (value === null || typeof value !== 'object' || Array.isArray(value))
    ) {
      throw new BadRequestException(NOT_AN_OBJECT);
    }
    return super.transform(value, metadata) as Promise<unknown>;
  }
}

/** The single global pipe (registered as APP_PIPE so e2e tests get the very same one). */
export function createValidationPipe(): ValidationPipe {
  return new AppValidationPipe({
    ...VALIDATOR_OPTIONS,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => validationFailed(flattenValidationErrors(errors)),
  });
}
