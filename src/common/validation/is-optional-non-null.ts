import { ValidateIf } from 'class-validator';

/**
 * Like class-validator's @IsOptional(), but only for an *absent* field: an explicit `null` is
 * validated (and so rejected by the field's other rules). @IsOptional() skips null too, which
 * let `{"tags": null}` be stored and then break every later read of that document (found by
 * the API fuzzer, test/fuzz/run.sh).
 */
export const IsOptionalNonNull = (): PropertyDecorator =>
  ValidateIf((_object: unknown, value: unknown) => value !== undefined);
