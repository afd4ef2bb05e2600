import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Types } from 'mongoose';
import { Audited } from '../audit/audited.decorator';
import { RequireRole } from '../common/auth/actor';
import { ErrorBodyDto } from '../common/errors/error-body';
import { ApiObjectIdParam } from '../common/http/api-object-id-param.decorator';
import { ParseObjectIdPipe } from '../common/http/parse-object-id.pipe';
import { CreateInstructorDto, PatchInstructorDto } from './dto/create-instructor.dto';
import {
  InstructorListResponseDto,
  InstructorResponseDto,
  toInstructorResponse,
} from './dto/instructor.response';
import { ListInstructorsQueryDto } from './dto/list-instructors.dto';
import { InstructorsService } from './instructors.service';

@ApiTags('instructors')
@RequireRole('admin')
@ApiBadRequestResponse({ type: ErrorBodyDto, description: 'Invalid body, query or id' })
@Controller('api/instructors')
export class InstructorsController {
  constructor(private readonly instructors: InstructorsService) {}

  @Post()
  @Audited('instructor.created')
  @ApiOperation({ summary: 'Add an instructor account (then give it a key)' })
  @ApiCreatedResponse({ type: InstructorResponseDto })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'The email is taken' })
  async create(@Body() dto: CreateInstructorDto): Promise<InstructorResponseDto> {
    return toInstructorResponse(await this.instructors.create(dto));
  }

  @Get()
  @ApiOperation({ summary: 'List instructors, newest first, by page or cursor' })
  @ApiOkResponse({ type: InstructorListResponseDto })
  async list(@Query() query: ListInstructorsQueryDto): Promise<InstructorListResponseDto> {
    const page = await this.instructors.list(query);
    return { ...page, items: page.items.map(toInstructorResponse) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One instructor' })
  @ApiObjectIdParam('id', 'Instructor id')
  @ApiOkResponse({ type: InstructorResponseDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto })
  async get(@Param('id', ParseObjectIdPipe) id: Types.ObjectId): Promise<InstructorResponseDto> {
    return toInstructorResponse(await this.instructors.findById(id));
  }

  @Patch(':id')
  @Audited('instructor.changed')
  @ApiOperation({
    summary: 'Change an instructor: name, email, Zoom user id, role, or disabled',
    description:
      '`disabled: true` refuses every key of the account: at once on the instance that handled this request, within 5 s on the others.',
  })
  @ApiObjectIdParam('id', 'Instructor id')
  @ApiBody({ type: PatchInstructorDto, required: false })
  @ApiOkResponse({ type: InstructorResponseDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'The email is taken' })
  async patch(
    @Param('id', ParseObjectIdPipe) id: Types.ObjectId,
    @Body() dto: PatchInstructorDto,
  ): Promise<InstructorResponseDto> {
    return toInstructorResponse(await this.instructors.update(id, dto));
  }
}
