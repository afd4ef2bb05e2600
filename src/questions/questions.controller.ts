import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Types } from 'mongoose';
import { Audited } from '../audit/audited.decorator';
import { CurrentActor, RequireRole, type Actor } from '../common/auth/actor';
import { ErrorBodyDto } from '../common/errors/error-body';
import { ApiObjectIdParam } from '../common/http/api-object-id-param.decorator';
import { ParseObjectIdPipe } from '../common/http/parse-object-id.pipe';
import { CreateQuestionDto } from './dto/create-question.dto';
import { ListQuestionsQueryDto } from './dto/list-questions.dto';
import {
  QuestionListResponseDto,
  QuestionResponseDto,
  toQuestionResponse,
} from './dto/question.response';
import { PatchQuestionDto } from './dto/patch-question.dto';
import { QuestionsService } from './questions.service';

const NOT_YOURS = "No such question, or another instructor's";

@ApiTags('questions')
@RequireRole('instructor')
@ApiBadRequestResponse({ type: ErrorBodyDto, description: 'Invalid body, query or id' })
@Controller('api/questions')
export class QuestionsController {
  constructor(private readonly questions: QuestionsService) {}

  @Post()
  @Audited('question.created')
  @ApiOperation({ summary: 'Add a question to the bank' })
  @ApiCreatedResponse({ type: QuestionResponseDto })
  async create(
    @CurrentActor() actor: Actor,
    @Body() dto: CreateQuestionDto,
  ): Promise<QuestionResponseDto> {
    return toQuestionResponse(await this.questions.create(actor, dto));
  }

  @Get()
  @ApiOperation({ summary: 'List questions, newest first, by page or cursor, with filters' })
  @ApiOkResponse({ type: QuestionListResponseDto })
  async list(
    @CurrentActor() actor: Actor,
    @Query() query: ListQuestionsQueryDto,
  ): Promise<QuestionListResponseDto> {
    const page = await this.questions.list(actor, query);
    return { ...page, items: page.items.map(toQuestionResponse) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One question' })
  @ApiObjectIdParam('id', 'Question id')
  @ApiOkResponse({ type: QuestionResponseDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: NOT_YOURS })
  async get(
    @CurrentActor() actor: Actor,
    @Param('id', ParseObjectIdPipe) id: Types.ObjectId,
  ): Promise<QuestionResponseDto> {
    return toQuestionResponse(await this.questions.findById(actor, id));
  }

  @Put(':id')
  @Audited('question.replaced')
  @ApiOperation({
    summary: 'Replace a question (omitted optional fields return to their defaults)',
  })
  @ApiObjectIdParam('id', 'Question id')
  @ApiOkResponse({ type: QuestionResponseDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: NOT_YOURS })
  async replace(
    @CurrentActor() actor: Actor,
    @Param('id', ParseObjectIdPipe) id: Types.ObjectId,
    @Body() dto: CreateQuestionDto,
  ): Promise<QuestionResponseDto> {
    return toQuestionResponse(await this.questions.replace(actor, id, dto));
  }

  @Patch(':id')
  @Audited('question.changed')
  @ApiOperation({ summary: 'Change some fields of a question' })
  @ApiObjectIdParam('id', 'Question id')
  // No body (or `{}`) changes nothing and answers the question as it is.
  @ApiBody({ type: PatchQuestionDto, required: false })
  @ApiOkResponse({ type: QuestionResponseDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: NOT_YOURS })
  async patch(
    @CurrentActor() actor: Actor,
    @Param('id', ParseObjectIdPipe) id: Types.ObjectId,
    @Body() dto: PatchQuestionDto,
  ): Promise<QuestionResponseDto> {
    return toQuestionResponse(await this.questions.patch(actor, id, dto));
  }

  @Delete(':id')
  @Audited('question.deleted')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a question' })
  @ApiObjectIdParam('id', 'Question id')
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: NOT_YOURS })
  async remove(
    @CurrentActor() actor: Actor,
    @Param('id', ParseObjectIdPipe) id: Types.ObjectId,
  ): Promise<void> {
    await this.questions.remove(actor, id);
  }
}
