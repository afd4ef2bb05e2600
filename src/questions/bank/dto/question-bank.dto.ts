import { ApiProperty, ApiPropertyOptional, IntersectionType, PickType } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { CsvFormatQueryDto } from '../../../common/csv/csv-format';
import { FileProblemDto } from '../../../common/errors/error-body';
import { IsOptionalNonNull } from '../../../common/validation/is-optional-non-null';
import { QUESTION_DTO_CLASSES, questionVariantsSchema } from '../../dto/create-question.dto';
import { ListQuestionsQueryDto } from '../../dto/list-questions.dto';
import { BANK_FORMAT, BANK_FORMAT_VERSION } from '../question-bank-format';
import {
  MAX_IMPORT_QUESTIONS,
  type ImportSource,
  type OnDuplicate,
} from '../question-bank.service';

/** GET /api/questions/export: the list's filters (not its paging): all that match. */
export class ExportQuestionsQueryDto extends PickType(ListQuestionsQueryDto, [
  'category',
  'difficulty',
  'tag',
  'type',
  'q',
] as const) {}

/** GET /api/questions/export.csv: the filters and the CSV format. */
export class ExportQuestionsCsvQueryDto extends IntersectionType(
  ExportQuestionsQueryDto,
  CsvFormatQueryDto,
) {}

export class ImportQuestionsQueryDto extends CsvFormatQueryDto {
  @ApiPropertyOptional({
    enum: ['fail', 'skip'],
    default: 'fail',
    description:
      'A question with the title and text of one in your bank or earlier in the file: `fail` refuses the import (409, nothing stored), `skip` leaves it out and lists it',
  })
  @IsOptionalNonNull()
  @IsIn(['fail', 'skip'])
  on_duplicate?: OnDuplicate;
}

export class BankDocumentDto {
  @ApiProperty({ enum: [BANK_FORMAT] })
  format!: typeof BANK_FORMAT;

  @ApiProperty({ enum: [BANK_FORMAT_VERSION] })
  version!: typeof BANK_FORMAT_VERSION;

  @ApiProperty({ type: String, format: 'date-time' })
  exported_at!: string;

  @ApiProperty({
    type: 'array',
    items: questionVariantsSchema(QUESTION_DTO_CLASSES),
    description:
      'Each question as POST /api/questions takes it: its type and every field of that type, oldest first; no id, owner or timestamps',
  })
  questions!: Record<string, unknown>[];
}

export class SkippedQuestionDto extends PickType(FileProblemDto, [
  'line',
  'index',
  'reason',
] as const) {
  @ApiProperty()
  title!: string;
}

export class ImportResultDto {
  @ApiProperty({
    enum: ['bank_json', 'json_array', 'bank_csv', 'zoom_poll_csv'],
    description: 'What the body was read as',
  })
  source!: ImportSource;

  @ApiProperty({ type: 'integer', maximum: MAX_IMPORT_QUESTIONS })
  created!: number;

  @ApiProperty({ type: [String], description: 'The new questions, in the order of the file' })
  ids!: string[];

  @ApiProperty({
    type: [SkippedQuestionDto],
    description: 'Duplicates left out (on_duplicate=skip)',
  })
  skipped!: SkippedQuestionDto[];
}
