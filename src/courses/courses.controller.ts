import {
  Body,
  Delete,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Types } from 'mongoose';
import { Audited } from '../audit/audited.decorator';
import { CurrentActor, type Actor } from '../common/auth/actor';
import { CsvFormatQueryDto, csvFormatOf } from '../common/csv/csv-format';
import {
  AttendanceCsvQueryDto,
  AttendanceQueryDto,
  AttendanceResponseDto,
} from '../participants/dto/attendance.dto';
import { GradebookResponseDto } from '../results/dto/gradebook.dto';
import { csvDownloadHeaders } from '../common/csv/csv-reply';
import { toCsv } from '../common/csv/csv-write';
import { ErrorBodyDto } from '../common/errors/error-body';
import { ApiObjectIdParam } from '../common/http/api-object-id-param.decorator';
import { OwnedResourceController } from '../common/http/owned-resource-controller.decorator';
import { BodyLimit, CSV_BODY_LIMIT_BYTES } from '../common/http/body-limit';
import { ParseObjectIdPipe } from '../common/http/parse-object-id.pipe';
import { CourseRecordsService } from './course-records.service';
import { CoursesService } from './courses.service';
import {
  CreateCourseDto,
  ListCoursesQueryDto,
  PatchCourseDto,
  RosterUploadDto,
} from './dto/course.dto';
import {
  CourseListResponseDto,
  CourseResponseDto,
  RosterResponseDto,
  toCourseResponse,
  toRosterResponse,
} from './dto/course.response';
import { MAX_ROSTER_STUDENTS, ROSTER_FIELDS } from './roster';

/** What Zoom answers for a meeting number it does not know (the access check asks Zoom). */
const NO_SUCH_MEETING = 'A meeting named in the body does not exist in Zoom';
const NOT_YOURS = "No such course, or another instructor's";
const CSV_FILE = {
  description: 'The CSV file',
  content: { 'text/csv': { schema: { type: 'string' } } },
};
const CSV_DESCRIPTION =
  'RFC 4180, UTF-8 with a byte-order mark, CRLF line ends; `?delimiter=semicolon` for spreadsheet locales with a decimal comma. Cells starting with =, +, -, @, tab or CR are prefixed with an apostrophe so no spreadsheet runs them as formulas.';
/** The roster as CSV or JSON, each with its own schema. */
const ROSTER_BODY = {
  required: true,
  content: {
    'application/json': { schema: { $ref: getSchemaPath(RosterUploadDto) } },
    'text/csv': {
      schema: { type: 'string' },
      example: 'name,email,student_id\r\n"Lovelace, Ada",ada@example.edu,s1001\r\n',
    },
  },
};
const MEETING_CHECK =
  "403 naming a meeting of the course you may no longer read (its host's or an admin's grant was withdrawn)";

/**
 * Courses (issue 18). Every route is an instructor's: a course is its creator's (admins see all),
 * and another's answers 404. Naming a meeting, and reading a course's records, needs read access
 * to the meeting (MeetingAccessService).
 */
@OwnedResourceController('courses', 'api/courses')
@ApiExtraModels(RosterUploadDto)
export class CoursesController {
  constructor(
    private readonly courses: CoursesService,
    private readonly records: CourseRecordsService,
  ) {}

  @Post()
  @Audited('course.created')
  @ApiOperation({
    summary: 'Create a course',
    description:
      "Its meetings are Zoom meeting numbers; a recurring meeting's number covers all its occurrences. You must be able to read each meeting (you host it, hold a grant for it, or are an admin): 403 naming the first you cannot, 404 when Zoom knows no such meeting.",
  })
  @ApiCreatedResponse({ type: CourseResponseDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: NO_SUCH_MEETING })
  async create(
    @CurrentActor() actor: Actor,
    @Body() dto: CreateCourseDto,
  ): Promise<CourseResponseDto> {
    return toCourseResponse(await this.courses.create(actor, dto));
  }

  @Get()
  @ApiOperation({
    summary: 'List your courses (all, for an admin), newest first, by page or cursor',
  })
  @ApiOkResponse({ type: CourseListResponseDto })
  async list(
    @CurrentActor() actor: Actor,
    @Query() query: ListCoursesQueryDto,
  ): Promise<CourseListResponseDto> {
    const page = await this.courses.list(actor, query);
    return { ...page, items: page.items.map(toCourseResponse) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One course (the roster is its own route)' })
  @ApiObjectIdParam('id', 'Course id')
  @ApiOkResponse({ type: CourseResponseDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: NOT_YOURS })
  async get(
    @CurrentActor() actor: Actor,
    @Param('id', ParseObjectIdPipe) id: Types.ObjectId,
  ): Promise<CourseResponseDto> {
    return toCourseResponse(await this.courses.findById(actor, id));
  }

  @Patch(':id')
  @Audited('course.changed')
  @ApiOperation({
    summary: 'Change the title or the meetings of a course',
    description:
      '`meeting_ids` replaces the list; each meeting it adds must be one you can read (403 naming it otherwise).',
  })
  @ApiObjectIdParam('id', 'Course id')
  @ApiOkResponse({ type: CourseResponseDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: `${NOT_YOURS}; or ${NO_SUCH_MEETING}` })
  async patch(
    @CurrentActor() actor: Actor,
    @Param('id', ParseObjectIdPipe) id: Types.ObjectId,
    @Body() dto: PatchCourseDto,
  ): Promise<CourseResponseDto> {
    return toCourseResponse(await this.courses.patch(actor, id, dto));
  }

  @Delete(':id')
  @Audited('course.deleted')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Delete a course and its roster (the meetings and their records stay)',
  })
  @ApiObjectIdParam('id', 'Course id')
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: NOT_YOURS })
  async remove(
    @CurrentActor() actor: Actor,
    @Param('id', ParseObjectIdPipe) id: Types.ObjectId,
  ): Promise<void> {
    await this.courses.remove(actor, id);
  }

  @Put(':id/roster')
  // A JSON roster of a few thousand students is larger than the JSON default (BODY_LIMIT_BYTES).
  @BodyLimit(CSV_BODY_LIMIT_BYTES)
  @Audited('course.roster_replaced')
  @ApiOperation({
    summary: 'Replace the roster, from a CSV file or JSON',
    description: `All or nothing: with any bad line nothing is stored (the previous roster stays) and the 400 lists every problem in \`details\` as {line (CSV) or index (JSON), field, reason}. CSV: a header row naming the columns ${ROSTER_FIELDS.join(', ')} in any order and any case (name, and email or student_id or both; any other column is refused), UTF-8 with or without a byte-order mark, CRLF or LF, quoted fields as RFC 4180; \`?delimiter=semicolon\` for a file separated by ";". JSON: {"students": [...]}. Rules: a name; an email, valid and unique in the roster (stored lower-case), or a student_id, unique, or both. A student without an email is kept but cannot be matched to Zoom participants (counted in \`without_email\`). At most ${MAX_ROSTER_STUDENTS} students and 2 MiB (413).`,
    requestBody: ROSTER_BODY,
  })
  @ApiObjectIdParam('id', 'Course id')
  @ApiOkResponse({ type: RosterResponseDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: NOT_YOURS })
  @ApiPayloadTooLargeResponse({
    type: ErrorBodyDto,
    description: `More than ${MAX_ROSTER_STUDENTS} students, or a body over 2 MiB`,
  })
  async replaceRoster(
    @CurrentActor() actor: Actor,
    @Param('id', ParseObjectIdPipe) id: Types.ObjectId,
    @Headers('content-type') contentType: string | undefined,
    @Body() body: unknown,
    @Query() query: CsvFormatQueryDto,
  ): Promise<RosterResponseDto> {
    const { delimiter } = csvFormatOf(query);
    return toRosterResponse(
      await this.courses.replaceRoster(actor, id, { contentType, body, delimiter }),
    );
  }

  @Get(':id/roster')
  @ApiOperation({ summary: 'The roster' })
  @ApiObjectIdParam('id', 'Course id')
  @ApiOkResponse({ type: RosterResponseDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: NOT_YOURS })
  async roster(
    @CurrentActor() actor: Actor,
    @Param('id', ParseObjectIdPipe) id: Types.ObjectId,
  ): Promise<RosterResponseDto> {
    return toRosterResponse(await this.courses.withRoster(actor, id));
  }

  @Get(':id/roster.csv')
  @Audited('course.roster_exported')
  @ApiOperation({
    summary: 'The roster as CSV (name, email, student_id: the upload format)',
    description: CSV_DESCRIPTION,
  })
  @ApiObjectIdParam('id', 'Course id')
  // Content types per response, no @ApiProduces: that would relabel the JSON errors as CSV.
  @ApiOkResponse(CSV_FILE)
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: NOT_YOURS })
  async rosterCsv(
    @CurrentActor() actor: Actor,
    @Param('id', ParseObjectIdPipe) id: Types.ObjectId,
    @Query() query: CsvFormatQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const { students } = toRosterResponse(await this.courses.withRoster(actor, id));
    csvDownloadHeaders(reply, `roster-${id.toHexString()}.csv`);
    return toCsv(
      [...ROSTER_FIELDS],
      students.map((s) => [s.name, s.email, s.student_id]),
      csvFormatOf(query),
    );
  }

  @Get(':id/gradebook')
  @ApiOperation({ summary: "The course's gradebook: each student's scores over its meetings" })
  @ApiObjectIdParam('id', 'Course id')
  @ApiOkResponse({ type: GradebookResponseDto, description: 'The gradebook' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: NOT_YOURS })
  async gradebook(
    @CurrentActor() actor: Actor,
    @Param('id', ParseObjectIdPipe) id: Types.ObjectId,
  ): Promise<GradebookResponseDto> {
    return this.records.gradebook(actor, id);
  }

  @Get(':id/gradebook.csv')
  @Audited('course.gradebook_exported')
  @ApiOperation({
    summary: 'The gradebook as CSV',
    description: `${CSV_DESCRIPTION} ${MEETING_CHECK}.`,
  })
  @ApiObjectIdParam('id', 'Course id')
  @ApiOkResponse(CSV_FILE)
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: NOT_YOURS })
  async gradebookCsv(
    @CurrentActor() actor: Actor,
    @Param('id', ParseObjectIdPipe) id: Types.ObjectId,
    @Query() query: CsvFormatQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const csv = await this.records.gradebookCsv(actor, id, csvFormatOf(query));
    csvDownloadHeaders(reply, `gradebook-${id.toHexString()}.csv`);
    return csv;
  }

  @Get(':id/attendance')
  @ApiOperation({
    summary: "The course's attendance: each student's presence in each class",
    description: MEETING_CHECK,
  })
  @ApiObjectIdParam('id', 'Course id')
  @ApiOkResponse({ type: AttendanceResponseDto, description: 'The attendance' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: NOT_YOURS })
  async attendance(
    @CurrentActor() actor: Actor,
    @Param('id', ParseObjectIdPipe) id: Types.ObjectId,
    @Query() query: AttendanceQueryDto,
  ): Promise<AttendanceResponseDto> {
    return this.records.attendance(actor, id, query);
  }

  @Get(':id/attendance.csv')
  @Audited('course.attendance_exported')
  @ApiOperation({
    summary: 'The attendance as CSV',
    description: `${CSV_DESCRIPTION} ${MEETING_CHECK}.`,
  })
  @ApiObjectIdParam('id', 'Course id')
  @ApiOkResponse(CSV_FILE)
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: NOT_YOURS })
  async attendanceCsv(
    @CurrentActor() actor: Actor,
    @Param('id', ParseObjectIdPipe) id: Types.ObjectId,
    @Query() query: AttendanceCsvQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const { delimiter, ...thresholds } = query;
    const csv = await this.records.attendanceCsv(actor, id, thresholds, csvFormatOf({ delimiter }));
    csvDownloadHeaders(reply, `attendance-${id.toHexString()}.csv`);
    return csv;
  }
}
