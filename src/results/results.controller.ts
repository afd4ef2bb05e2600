import {
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiExtraModels,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiMeetingAccess } from '../access/api-meeting-access.decorator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Types } from 'mongoose';
import { MeetingIdParamDto } from '../broadcasts/dto/send.dto';
import { Audited } from '../audit/audited.decorator';
import { CurrentActor, RequireRole, type Actor } from '../common/auth/actor';
import { CsvFormatQueryDto, csvFormatOf } from '../common/csv/csv-format';
import { csvDownloadHeaders } from '../common/csv/csv-reply';
import { ErrorBodyDto } from '../common/errors/error-body';
import { ApiObjectIdParam } from '../common/http/api-object-id-param.decorator';
import { ParseObjectIdPipe } from '../common/http/parse-object-id.pipe';
import {
  LeaderboardResponseDto,
  RemindResponseDto,
  ResultsResponseDto,
  ResultsStateDto,
  TallyDto,
} from './dto/results.response';
import { ResultsStreamService } from './results-stream.service';
import { ResultsService } from './results.service';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { replayCheck } from '../idempotency/replay-check';

const NO_BROADCAST = 'No such broadcast, or one in a meeting you may not read';
const LINK_BROADCAST = 'The broadcast sent a link (original API), not a question';

/** A replayed reminder is refused as a new one would be (ReplayCheck). */
const MAY_REMIND = replayCheck(ResultsService, (results, actor, { params }) =>
  results.authorizeRemind(actor, new Types.ObjectId(params.id)),
);

@ApiTags('results')
// The stream's event data (named in its description), listed so clients can generate them.
@ApiExtraModels(TallyDto, ResultsStateDto)
@RequireRole('assistant')
@Controller('api')
export class ResultsController {
  constructor(
    private readonly results: ResultsService,
    private readonly streams: ResultsStreamService,
  ) {}

  @Get('broadcasts/:id/results')
  @ApiOperation({
    summary: 'Results of a question broadcast',
    description:
      'Counts and percentages per option (single, true_false, multiple), the correct rate and mean credit, the per-type `summary` (multiple: exact-set matches; rating: every scale point, mean, median; numeric: quartiles and a histogram; text: the answers grouped and word frequencies; ranking: mean place per option), every answer (its value, correctness, credit, score, latency; none for an anonymous question), and the non-responders: people in the meeting now without an answer (with the reason), plus people who got the question, did not answer and have left (in_meeting false).',
  })
  @ApiObjectIdParam('id', 'Broadcast id')
  @ApiOkResponse({ type: ResultsResponseDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: NO_BROADCAST })
  @ApiMeetingAccess({ notFound: false })
  @ApiConflictResponse({ type: ErrorBodyDto, description: LINK_BROADCAST })
  async get(
    @CurrentActor() actor: Actor,
    @Param('id', ParseObjectIdPipe) id: Types.ObjectId,
  ): Promise<ResultsResponseDto> {
    return this.results.results(actor, id);
  }

  @Get('broadcasts/:id/results.csv')
  @Audited('results.exported')
  @ApiOperation({
    summary: 'Results as CSV (RFC 4180, spreadsheet-safe)',
    description:
      'One row per answer, then one per non-responder; the original columns first, then `type`, `answer` (in words), `value` (machine-readable: option index, indices joined by ";", the number, the text, or the ranked indices joined by ";") and `credit`. An anonymous question has its own columns (answered, answer, value, count, correct, credit, name, email, person_key, in_meeting, status): one row per distinct answer with its count, sorted by the answer, never a time or a person; then one row per non-responder. UTF-8 with a byte-order mark (spreadsheet apps then read accents right), CRLF line ends; `?delimiter=semicolon` for spreadsheets that expect ";" (numbers then have a decimal comma); cells starting with =, +, -, @, tab or CR are prefixed with an apostrophe so no spreadsheet runs them as formulas.',
  })
  @ApiObjectIdParam('id', 'Broadcast id')
  // Content types per response, no @ApiProduces: that would relabel the JSON errors as CSV.
  @ApiOkResponse({
    description: 'The CSV file',
    content: { 'text/csv': { schema: { type: 'string' } } },
  })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: NO_BROADCAST })
  @ApiMeetingAccess({ notFound: false })
  @ApiConflictResponse({ type: ErrorBodyDto, description: LINK_BROADCAST })
  async csv(
    @CurrentActor() actor: Actor,
    @Param('id', ParseObjectIdPipe) id: Types.ObjectId,
    @Query() query: CsvFormatQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const csv = await this.results.csv(actor, id, csvFormatOf(query));
    csvDownloadHeaders(reply, `results-${id.toHexString()}.csv`);
    return csv;
  }

  @Get('broadcasts/:id/stream')
  @ApiOperation({
    summary: 'Live counts (Server-Sent Events)',
    description:
      "A `snapshot` event on connect (and after catching up with answers stored by another instance), `answer` events with the running counts (coalesced: at most one per 100 ms, the last within 100 ms of the last answer), a `state` event on connect and whenever the deadline, close or reveal changes (ResultsStateDto: closes_at, closed_at, revealed), and a `: heartbeat` comment every 15 s. `snapshot` and `answer` data is the TallyDto shape (type, answered, options, correct_count, correct_percent, mean_credit and the per-type summary; text answers: the 50 most frequent). Events carry counts only, never who answered. Ends when the client disconnects. Authenticate with the key in a header, or, from the console's own pages, with its session cookie (so the browser's EventSource works).",
  })
  @ApiObjectIdParam('id', 'Broadcast id')
  @ApiOkResponse({ description: 'An event stream', content: { 'text/event-stream': {} } })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: NO_BROADCAST })
  @ApiMeetingAccess({ notFound: false })
  @ApiConflictResponse({ type: ErrorBodyDto, description: LINK_BROADCAST })
  async stream(
    @CurrentActor() actor: Actor,
    @Param('id', ParseObjectIdPipe) id: Types.ObjectId,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.streams.stream(actor, id, request, reply);
  }

  @Get('meetings/:meeting_id/leaderboard')
  @ApiOperation({
    summary: "The meeting's leaderboard",
    description:
      'Total score per person over every question sent to the meeting, highest first (then more right answers, then name). People are keyed as their answers are: Zoom user id, else lower-cased email; channel answers (a typed name and email) are separate rows keyed `self:<email>` with identity `self_reported`, never merged into a Zoom-identified person.',
  })
  @ApiOkResponse({ type: LeaderboardResponseDto })
  @ApiMeetingAccess()
  async leaderboard(
    @CurrentActor() actor: Actor,
    @Param() params: MeetingIdParamDto,
  ): Promise<LeaderboardResponseDto> {
    return this.results.leaderboard(actor, params.meeting_id);
  }

  @Post('broadcasts/:id/remind')
  @Audited('broadcast.reminded')
  @HttpCode(HttpStatus.ACCEPTED)
  @Idempotent(MAY_REMIND)
  @ApiOperation({
    summary: 'Send the link again to those who have not answered',
    description:
      'Only recipients whose message went out, who have not answered and whose window is still open. Their deadline does not move: it runs from their first message.',
  })
  @ApiObjectIdParam('id', 'Broadcast id')
  @ApiAcceptedResponse({ type: RemindResponseDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: NO_BROADCAST })
  @ApiMeetingAccess({ notFound: false })
  @ApiConflictResponse({ type: ErrorBodyDto, description: LINK_BROADCAST })
  async remind(
    @CurrentActor() actor: Actor,
    @Param('id', ParseObjectIdPipe) id: Types.ObjectId,
  ): Promise<RemindResponseDto> {
    return { reminded: await this.results.remind(actor, id) };
  }
}
