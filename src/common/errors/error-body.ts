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
    description: 'Per-field errors for a validation failure, or other structured detail',
    oneOf: [
      { type: 'array', items: { $ref: getSchemaPath(FieldErrorDto) } },
      { type: 'object', additionalProperties: true },
    ],
  })
  details?: FieldErrorDto[] | Record<string, unknown>;

  @ApiPropertyOptional({ description: 'Request id, also in the server log (500 only)' })
  request_id?: string;
}
