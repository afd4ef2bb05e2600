import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Types } from 'mongoose';
import { ApiMeetingAccess } from '../access/api-meeting-access.decorator';
import { Audited } from '../audit/audited.decorator';
import { CurrentActor, RequireRole, type Actor } from '../common/auth/actor';
import { CsvFormatQueryDto, csvFormatOf } from '../common/csv/csv-format';
import { csvDownloadHeaders } from '../common/csv/csv-reply';
import { ErrorBodyDto } from '../common/errors/error-body';
import { ApiObjectIdParam } from '../common/http/api-object-id-param.decorator';
import { ParseObjectIdPipe } from '../common/http/parse-object-id.pipe';
import { RunResultsResponseDto } from './dto/run-results.response';
import { RunResultsService } from './run-results.service';

const NO_RUN = "No such run, or another instructor's, or one in a meeting you may not read";
const STARTING = 'The run is still starting (its questions are not all written yet)';

/**
 * A run's results (issue 16, docs/architecture.md §29): reads, so an assistant with read access
 * to the run's meeting may see them, as a broadcast's results.
 */
@ApiTags('runs')
@RequireRole('assistant')
@Controller('api/runs')
export class RunResultsController {
  constructor(private readonly runResults: RunResultsService) {}

  @Get(':id/results')
  @ApiOperation({
    summary: 'Results of a run of a question set',
    description:
      "Per question, the body of its step broadcast's results (GET /api/broadcasts/{id}/results); the run's cumulative leaderboard (ranked as the meeting leaderboard: equal totals with equal right answers share a rank); and per person (everyone sent the run link, then anyone else who answered) each answer with its credit and score, and the totals. An anonymous run has aggregates only: no leaderboard, no per-person rows.",
  })
  @ApiObjectIdParam('id', 'Run id')
  @ApiOkResponse({ type: RunResultsResponseDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: NO_RUN })
  @ApiMeetingAccess({ notFound: false })
  @ApiConflictResponse({ type: ErrorBodyDto, description: STARTING })
  async get(
    @CurrentActor() actor: Actor,
    @Param('id', ParseObjectIdPipe) id: Types.ObjectId,
  ): Promise<RunResultsResponseDto> {
    return this.runResults.results(actor, id);
  }

  @Get(':id/results.csv')
  @Audited('run.results_exported')
  @ApiOperation({
    summary: 'Results of a run as CSV (RFC 4180, spreadsheet-safe)',
    description:
      'One row per person (everyone sent the run link, then anyone else who answered), by name: name, email, person_key, link_status, rank, then per question `Q<n> answer` (in words), `Q<n> correct` (yes, no, or empty for no answer or a question without a right answer) and `Q<n> score`, then total_score, correct_count, answered_count. An anonymous run: one row per question with its aggregates (question, question_id, title, answered, correct_count, correct_percent, mean_credit), never a person. UTF-8 with a byte-order mark, CRLF line ends; `?delimiter=semicolon` for spreadsheets that expect ";" (numbers then have a decimal comma); cells starting with =, +, -, @, tab or CR are prefixed with an apostrophe so no spreadsheet runs them as formulas.',
  })
  @ApiObjectIdParam('id', 'Run id')
  // Content types per response, no @ApiProduces: that would relabel the JSON errors as CSV.
  @ApiOkResponse({
    description: 'The CSV file',
    content: { 'text/csv': { schema: { type: 'string' } } },
  })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: NO_RUN })
  @ApiMeetingAccess({ notFound: false })
  @ApiConflictResponse({ type: ErrorBodyDto, description: STARTING })
  async csv(
    @CurrentActor() actor: Actor,
    @Param('id', ParseObjectIdPipe) id: Types.ObjectId,
    @Query() query: CsvFormatQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const csv = await this.runResults.csv(actor, id, csvFormatOf(query));
    csvDownloadHeaders(reply, `run-results-${id.toHexString()}.csv`);
    return csv;
  }
}
