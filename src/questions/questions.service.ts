import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { FilterQuery, Model, Types } from 'mongoose';
import type { Actor } from '../common/auth/actor';
import { ownedBy } from '../common/auth/owner-filter';
import { validationFailed } from '../common/errors/validation';
import { newestFirstPage, type NewestFirstPage } from '../common/paging/newest-first';
import { DEFAULT_QUESTION_TYPE, type QuestionType } from '../question-types/question-types';
import { checkQuestionBody } from './dto/check-question-body';
import type { CreateQuestionDto } from './dto/create-question.dto';
import { ListQuestionsQueryDto } from './dto/list-questions.dto';
import type { QuestionPatch } from './dto/patch-question.dto';
import { mergePatch, toStoredQuestion } from './question-body';
import { Question, QuestionDocument } from './schemas/question.schema';

export type QuestionPage = NewestFirstPage<QuestionDocument>;

@Injectable()
export class QuestionsService {
  constructor(@InjectModel(Question.name) private readonly questions: Model<Question>) {}

  /**
   * The question belongs to its creator (null for a bootstrap key: then only admins see it).
   * `dto` is a checked body (QuestionBodyPipe or checkQuestionBody).
   */
  async create(
    actor: Actor,
    dto: CreateQuestionDto & { type: QuestionType },
  ): Promise<QuestionDocument> {
    return this.questions.create({ ...toStoredQuestion(dto), owner_id: actor.instructorId });
  }

  /** The question if the actor may see it; anyone else's is 404, as if it did not exist. */
  async findById(actor: Actor, id: Types.ObjectId): Promise<QuestionDocument> {
    const question = await this.questions.findOne({ _id: id, ...visibleTo(actor) }).exec();
    if (!question) throw questionNotFound(id);
    return question;
  }

  /**
   * Those of `ids` the actor may see, in no particular order; an id the bank lacks, or that is
   * another instructor's, is simply not there (the caller names what is missing).
   */
  async findVisibleByIds(
    actor: Actor,
    ids: readonly Types.ObjectId[],
  ): Promise<QuestionDocument[]> {
    if (ids.length === 0) return [];
    return this.questions.find({ _id: { $in: [...ids] }, ...visibleTo(actor) }).exec();
  }

  /** Newest first, by page or keyset cursor (newestFirstPage). */
  async list(actor: Actor, query: ListQuestionsQueryDto): Promise<QuestionPage> {
    return newestFirstPage(this.questions, listFilter(actor, query), query);
  }

  /** Every question the actor may see that matches the list's filters, oldest first (an export). */
  async findAllForExport(actor: Actor, query: QuestionFilters): Promise<QuestionDocument[]> {
    return this.questions.find(listFilter(actor, query)).sort({ created_at: 1, _id: 1 }).exec();
  }

  /**
   * The questions of `ownerId`'s bank (what an import by that owner adds to) whose title is one
   * of `titles`: the import compares title and question text with them to refuse duplicates.
   */
  async findInBankByTitles(
    ownerId: string | null,
    titles: readonly string[],
  ): Promise<Pick<Question, 'title' | 'question_text'>[]> {
    if (titles.length === 0) return [];
    return this.questions
      .find({ owner_id: { $eq: ownerId }, title: { $in: [...titles] } })
      .select({ title: 1, question_text: 1 })
      .lean()
      .exec();
  }

  /**
   * Stores checked bodies as the actor's questions, all or none in effect: without a transaction
   * (the test server has none, docs/architecture.md §12) the ids are chosen here, the insert is
   * ordered (it stops at the first failure), and on a failure every document of this call that
   * did get in is deleted again before the error goes on. Returns the ids in the bodies' order.
   */
  async insertAll(
    actor: Actor,
    dtos: readonly (CreateQuestionDto & { type: QuestionType })[],
  ): Promise<Types.ObjectId[]> {
    const ids = dtos.map(() => new Types.ObjectId());
    const docs = dtos.map((dto, i) => ({
      _id: ids[i],
      ...toStoredQuestion(dto),
      owner_id: actor.instructorId,
    }));
    try {
      await this.questions.insertMany(docs, { ordered: true });
    } catch (error) {
      await this.questions.deleteMany({ _id: { $in: ids } }).exec();
      throw error;
    }
    return ids;
  }

  /**
   * PUT: the body is a whole question (checked); omitted optional fields go back to their
   * defaults, and the fields of any other type (a PUT may change the type) are cleared.
   */
  async replace(
    actor: Actor,
    id: Types.ObjectId,
    dto: CreateQuestionDto & { type: QuestionType },
  ): Promise<QuestionDocument> {
    const question = await this.findById(actor, id);
    question.set(toStoredQuestion(dto));
    return question.save();
  }

  /**
   * PATCH: the fields sent, laid over the stored question (mergePatch), and the result checked
   * whole as the type it ends up as; then stored as a PUT of that result would be.
   */
  async patch(actor: Actor, id: Types.ObjectId, patch: QuestionPatch): Promise<QuestionDocument> {
    const question = await this.findById(actor, id);
    const checked = await checkQuestionBody(mergePatch(question, patch));
    if (!checked.ok) throw validationFailed(checked.details);
    question.set(toStoredQuestion(checked.dto));
    return question.save();
  }

  async remove(actor: Actor, id: Types.ObjectId): Promise<void> {
    const result = await this.questions.deleteOne({ _id: id, ...visibleTo(actor) }).exec();
    if (result.deletedCount === 0) throw questionNotFound(id);
  }
}

/** Questions are owned (ownedBy, src/common/auth/owner-filter.ts). */
function visibleTo(actor: Actor): FilterQuery<Question> {
  return ownedBy(actor);
}

/** The list's filters, without its paging: what an export narrows the bank with too. */
export type QuestionFilters = Pick<
  ListQuestionsQueryDto,
  'category' | 'difficulty' | 'tag' | 'type' | 'q'
>;

/** The one reading of the list's filters, on top of the ownership rule (visibleTo). */
function listFilter(actor: Actor, query: QuestionFilters): FilterQuery<Question> {
  const filter: FilterQuery<Question> = { ...visibleTo(actor) };
  if (query.category !== undefined) filter.category = query.category;
  if (query.difficulty !== undefined) filter.difficulty = query.difficulty;
  // `tag` is validated as a plain string, so it can never smuggle in a query operator.
  if (query.tag !== undefined) filter.tags = query.tag;
  if (query.type !== undefined) {
    // Questions stored before types have no `type`: they are single (withTypeDefaults).
    filter.type = query.type === DEFAULT_QUESTION_TYPE ? { $in: [query.type, null] } : query.type;
  }
  if (query.q !== undefined && query.q.trim() !== '') {
    // Taken literally: every regex character is escaped, so a search cannot be a pattern.
    const text = new RegExp(query.q.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
    filter.$or = [{ title: text }, { question_text: text }];
  }
  return filter;
}

function questionNotFound(id: Types.ObjectId): NotFoundException {
  return new NotFoundException(`Question ${id.toHexString()} not found`);
}
