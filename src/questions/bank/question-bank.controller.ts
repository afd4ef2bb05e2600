import { Body, Controller, Get, Headers, Post, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Audited } from '../../audit/audited.decorator';
import { CurrentActor, RequireRole, type Actor } from '../../common/auth/actor';
import { csvFormatOf } from '../../common/csv/csv-format';
import { csvDownloadHeaders } from '../../common/csv/csv-reply';
import { ErrorBodyDto } from '../../common/errors/error-body';
import { BodyLimit, CSV_BODY_LIMIT_BYTES } from '../../common/http/body-limit';
import { QUESTION_DTO_CLASSES, questionVariantsSchema } from '../dto/create-question.dto';
import {
  BankDocumentDto,
  ExportQuestionsCsvQueryDto,
  ExportQuestionsQueryDto,
  ImportQuestionsQueryDto,
  ImportResultDto,
} from './dto/question-bank.dto';
import type { BankDocument } from './question-bank-format';
import { MAX_IMPORT_QUESTIONS, QuestionBankService } from './question-bank.service';

const OWNERSHIP =
  "Your own questions (an admin: every question), narrowed by the list's filters, oldest first.";

/** JSON (the export's document or an array of create bodies) or CSV (ours or Zoom's poll layout). */
const IMPORT_BODY = {
  required: true,
  content: {
    'application/json': {
      schema: {
        oneOf: [
          { $ref: getSchemaPath(BankDocumentDto) },
          { type: 'array', items: questionVariantsSchema(QUESTION_DTO_CLASSES) },
        ],
      },
    },
    'text/csv': { schema: { type: 'string' } },
  },
};

/** The question bank in and out (issue 18): GET export, export.csv; POST import. */
@ApiTags('questions')
@ApiExtraModels(BankDocumentDto)
@RequireRole('instructor')
@Controller('api/questions')
export class QuestionBankController {
  constructor(private readonly bank: QuestionBankService) {}

  @Get('export')
  @Audited('questions.exported')
  @ApiOperation({
    summary: 'Export the question bank as JSON',
    description: `${OWNERSHIP} A versioned document whose questions are POST /api/questions bodies; POST /api/questions/import reads it back into any bank, question for question.`,
  })
  @ApiOkResponse({ type: BankDocumentDto })
  async exportJson(
    @CurrentActor() actor: Actor,
    @Query() query: ExportQuestionsQueryDto,
  ): Promise<BankDocument> {
    return this.bank.exportJson(actor, query);
  }

  @Get('export.csv')
  @Audited('questions.exported')
  @ApiOperation({
    summary: 'Export the question bank as CSV (RFC 4180, spreadsheet-safe)',
    description: `${OWNERSHIP} One row per question, columns named after the fields: title, question_text, type, option_1…option_N, correct_answer, correct_answers (indexes joined by ";"), max_choices, scale_min, scale_max, scale_min_label, scale_max_label, correct_value, tolerance, unit, accepted_answer_1…, max_length, correct_order (indexes joined by ";"), time_limit, points, difficulty, category, tag_1…; numbered columns as many as the longest list. UTF-8 with a byte-order mark; cells a spreadsheet would run as a formula get a leading apostrophe, which the import takes off again.`,
  })
  @ApiOkResponse({
    description: 'The CSV file',
    content: { 'text/csv': { schema: { type: 'string' } } },
  })
  async exportCsv(
    @CurrentActor() actor: Actor,
    @Query() query: ExportQuestionsCsvQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const csv = await this.bank.exportCsv(actor, query, csvFormatOf(query));
    csvDownloadHeaders(reply, 'questions.csv');
    return csv;
  }

  @Post('import')
  @Audited('questions.imported')
  @BodyLimit(CSV_BODY_LIMIT_BYTES)
  @ApiOperation({
    summary: 'Import questions (JSON or CSV), all or nothing',
    description: `The body is one of: the document GET /api/questions/export answers; a JSON array of POST /api/questions bodies; the CSV GET /api/questions/export.csv writes (\`text/csv\`, \`?delimiter=semicolon\` for the ";" variant); or Zoom's poll CSV (told apart by its header: Question, Question Type, Answer 1…, Correct Answer). Each question is checked as POST /api/questions checks it; any problem anywhere refuses the whole import (400) with every problem listed by CSV line or JSON index. A question with the title and text of one in your bank or earlier in the file is a duplicate: 409 (nothing stored) unless \`?on_duplicate=skip\`. At most ${MAX_IMPORT_QUESTIONS} questions and ${CSV_BODY_LIMIT_BYTES / 1024 / 1024} MiB (413).`,
    requestBody: IMPORT_BODY,
  })
  @ApiCreatedResponse({ type: ImportResultDto })
  @ApiBadRequestResponse({
    type: ErrorBodyDto,
    description: 'A malformed file or bad questions: `details` lists each problem (FileProblemDto)',
  })
  @ApiConflictResponse({
    type: ErrorBodyDto,
    description: 'Duplicates: `details` lists them (FileProblemDto)',
  })
  @ApiPayloadTooLargeResponse({ type: ErrorBodyDto, description: 'Too many questions or bytes' })
  async import(
    @CurrentActor() actor: Actor,
    @Query() query: ImportQuestionsQueryDto,
    @Headers('content-type') contentType: string | undefined,
    @Body() body: unknown,
  ): Promise<ImportResultDto> {
    const isCsv = (contentType ?? '').toLowerCase().startsWith('text/csv');
    const input =
      isCsv && typeof body === 'string'
        ? { csv: body, delimiter: csvFormatOf(query).delimiter }
        : { json: body };
    return this.bank.import(actor, input, query.on_duplicate ?? 'fail');
  }
}
