import {
  Body,
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
  ApiBody,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
} from '@nestjs/swagger';
import { Types } from 'mongoose';
import { Audited } from '../audit/audited.decorator';
import { CurrentActor, type Actor } from '../common/auth/actor';
import { ErrorBodyDto } from '../common/errors/error-body';
import { ApiObjectIdParam } from '../common/http/api-object-id-param.decorator';
import { OwnedResourceController } from '../common/http/owned-resource-controller.decorator';
import { ParseObjectIdPipe } from '../common/http/parse-object-id.pipe';
import {
  QUESTION_DTO_CLASSES,
  questionVariantsSchema,
  type CreateQuestionDto,
} from './dto/create-question.dto';
import { ListQuestionsQueryDto } from './dto/list-questions.dto';
import {
  QUESTION_RESPONSE_CLASSES,
  QUESTION_RESPONSE_SCHEMA,
  QuestionListResponseDto,
  toQuestionResponse,
  type QuestionResponseDto,
} from './dto/question.response';
import { PatchQuestionDto, type QuestionPatch } from './dto/patch-question.dto';
import { QuestionBodyPipe, QuestionPatchPipe } from './dto/question-body.pipe';
import { QuestionsService } from './questions.service';
import type { QuestionType } from '../question-types/question-types';

const NOT_YOURS = "No such question, or another instructor's";
/** A question of any type: the type's fields, told apart by `type` (absent: single). */
const QUESTION_BODY = {
  description:
    "A question of one type: `type` (absent means single) and that type's fields; a field of another type is a 400",
  schema: questionVariantsSchema(QUESTION_DTO_CLASSES),
};

@OwnedResourceController('questions', 'api/questions')
@ApiExtraModels(...Object.values(QUESTION_DTO_CLASSES), ...Object.values(QUESTION_RESPONSE_CLASSES))
export class QuestionsController {
  constructor(private readonly questions: QuestionsService) {}

  @Post()
  @Audited('question.created')
  @ApiOperation({ summary: 'Add a question to the bank' })
  @ApiBody(QUESTION_BODY)
  @ApiCreatedResponse({ schema: QUESTION_RESPONSE_SCHEMA })
  async create(
    @CurrentActor() actor: Actor,
    @Body(QuestionBodyPipe) dto: CreateQuestionDto & { type: QuestionType },
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
  @ApiOkResponse({ schema: QUESTION_RESPONSE_SCHEMA })
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
  @ApiBody(QUESTION_BODY)
  @ApiOkResponse({ schema: QUESTION_RESPONSE_SCHEMA })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: NOT_YOURS })
  async replace(
    @CurrentActor() actor: Actor,
    @Param('id', ParseObjectIdPipe) id: Types.ObjectId,
    @Body(QuestionBodyPipe) dto: CreateQuestionDto & { type: QuestionType },
  ): Promise<QuestionResponseDto> {
    return toQuestionResponse(await this.questions.replace(actor, id, dto));
  }

  @Patch(':id')
  @Audited('question.changed')
  @ApiOperation({
    summary: 'Change some fields of a question',
    description:
      "The fields sent are laid over the stored question and the result is checked whole as the type it ends up as. A new `type` clears the old type's fields (options stay between single, multiple and ranking): the new type's required fields must be sent with it.",
  })
  @ApiObjectIdParam('id', 'Question id')
  // No body (or `{}`) changes nothing and answers the question as it is.
  @ApiBody({ type: PatchQuestionDto, required: false })
  @ApiOkResponse({ schema: QUESTION_RESPONSE_SCHEMA })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: NOT_YOURS })
  async patch(
    @CurrentActor() actor: Actor,
    @Param('id', ParseObjectIdPipe) id: Types.ObjectId,
    @Body(QuestionPatchPipe) patch: QuestionPatch,
  ): Promise<QuestionResponseDto> {
    return toQuestionResponse(await this.questions.patch(actor, id, patch));
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
