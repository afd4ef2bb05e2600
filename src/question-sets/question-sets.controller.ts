import { Body, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
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
  CreateQuestionSetDto,
  ListQuestionSetsQueryDto,
  PatchQuestionSetDto,
} from './dto/question-set.dto';
import {
  QuestionSetListResponseDto,
  QuestionSetResponseDto,
  toQuestionSetResponse,
} from './dto/question-set.response';
import { QuestionSetsService } from './question-sets.service';

const NOT_YOURS = "No such question set, or another instructor's";
const BANK_RULE =
  'Every question id must be a question you can see in the bank: 400 naming each one that is not, and each one listed twice.';

/**
 * Question sets (issue 16, docs/architecture.md §26): owned like questions and courses (a set is
 * its creator's, admins see all, another's answers 404). Starting a run of a set is the runs
 * module's route.
 */
@OwnedResourceController('question-sets', 'api/question-sets')
export class QuestionSetsController {
  constructor(private readonly sets: QuestionSetsService) {}

  @Post()
  @Audited('question_set.created')
  @ApiOperation({
    summary: 'Create a question set',
    description: `${BANK_RULE} auto_advance_seconds with self pacing, or speed_scoring with anonymous, is a 400 saying why. A run copies the questions when it starts, so later bank edits change no run already started.`,
  })
  @ApiCreatedResponse({ type: QuestionSetResponseDto })
  async create(
    @CurrentActor() actor: Actor,
    @Body() dto: CreateQuestionSetDto,
  ): Promise<QuestionSetResponseDto> {
    return toQuestionSetResponse(await this.sets.create(actor, dto));
  }

  @Get()
  @ApiOperation({
    summary: 'List your question sets (all, for an admin), newest first, by page or cursor',
  })
  @ApiOkResponse({ type: QuestionSetListResponseDto })
  async list(
    @CurrentActor() actor: Actor,
    @Query() query: ListQuestionSetsQueryDto,
  ): Promise<QuestionSetListResponseDto> {
    const page = await this.sets.list(actor, query);
    return { ...page, items: page.items.map(toQuestionSetResponse) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One question set' })
  @ApiObjectIdParam('id', 'Question set id')
  @ApiOkResponse({ type: QuestionSetResponseDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: NOT_YOURS })
  async get(
    @CurrentActor() actor: Actor,
    @Param('id', ParseObjectIdPipe) id: Types.ObjectId,
  ): Promise<QuestionSetResponseDto> {
    return toQuestionSetResponse(await this.sets.findById(actor, id));
  }

  @Patch(':id')
  @Audited('question_set.changed')
  @ApiOperation({
    summary: 'Change a question set',
    description: `The fields sent; \`question_ids\` replaces the list. ${BANK_RULE} The result is checked whole (e.g. pacing "self" while auto_advance_seconds is set is a 400). A body naming nothing is a 400. Runs already started keep their questions.`,
  })
  @ApiObjectIdParam('id', 'Question set id')
  @ApiOkResponse({ type: QuestionSetResponseDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: NOT_YOURS })
  async patch(
    @CurrentActor() actor: Actor,
    @Param('id', ParseObjectIdPipe) id: Types.ObjectId,
    @Body() dto: PatchQuestionSetDto,
  ): Promise<QuestionSetResponseDto> {
    return toQuestionSetResponse(await this.sets.patch(actor, id, dto));
  }

  @Delete(':id')
  @Audited('question_set.deleted')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a question set (its runs and their results stay)' })
  @ApiObjectIdParam('id', 'Question set id')
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: NOT_YOURS })
  async remove(
    @CurrentActor() actor: Actor,
    @Param('id', ParseObjectIdPipe) id: Types.ObjectId,
  ): Promise<void> {
    await this.sets.remove(actor, id);
  }
}
