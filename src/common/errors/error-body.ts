import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ example: 'title' })
  field!: string;

  @ApiProperty({
    type: [String],
    example: ['title must be shorter than or equal to 200 characters'],
  })
  errors!: string[];
}

/**
 * One problem in an uploaded file (a question bank import; any upload read line by line): where
 * it is (the CSV line a spreadsheet shows, or the index in a JSON array), which field or column,
 * and why. An upload answers every one of them at once, in `details`.
 */
export class FileProblemDto {
  @ApiPropertyOptional({
    type: 'integer',
    description: 'CSV: the line the record starts on (the header is line 1)',
  })
  line?: number;

  @ApiPropertyOptional({ type: 'integer', description: 'JSON: the index in the array' })
  index?: number;

  @ApiProperty({
    description: 'The field or column; empty when the problem is the whole line',
    example: 'options',
  })
  field!: string;

  @ApiProperty({ example: 'options must be distinct' })
  reason!: string;
}

/** The one error body every failure answers with, validation errors included. */
export class ErrorBodyDto {
  @ApiProperty({ example: 400 })
  statusCode!: number;

  @ApiProperty({ example: 'Bad Request' })
  error!: string;

  @ApiProperty({
    example: 'Validation failed: title must be shorter than or equal to 200 characters',
  })
  message!: string;

  @ApiPropertyOptional({
    description:
      'Per-field errors for a validation failure, every problem of an uploaded file, or other structured detail',
    oneOf: [
      { type: 'array', items: { $ref: getSchemaPath(FieldErrorDto) } },
      { type: 'array', items: { $ref: getSchemaPath(FileProblemDto) } },
      { type: 'object', additionalProperties: true },
    ],
  })
  details?: FieldErrorDto[] | FileProblemDto[] | Record<string, unknown>;

  @ApiPropertyOptional({ description: 'Request id, also in the server log (500 only)' })
  request_id?: string;
}
