import {
  BadRequestException,
  ConflictException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { FilterQuery, Model, Types } from 'mongoose';
import { questionSnapshot } from '../broadcasts/broadcast.types';
import type { Actor } from '../common/auth/actor';
import { ownedBy } from '../common/auth/owner-filter';
import { validationFailed } from '../common/errors/validation';
import { newestFirstPage, type NewestFirstPage } from '../common/paging/newest-first';
import { QuestionsService } from '../questions/questions.service';
import type {
  CreateQuestionSetDto,
  ListQuestionSetsQueryDto,
  PatchQuestionSetDto,
} from './dto/question-set.dto';
import type { SetForRun } from './question-set.types';
import { QuestionSet, QuestionSetDocument } from './schemas/question-set.schema';

/** The settings whose combination is checked as a whole (checkSettings). */
type SetSettings = Pick<
  QuestionSet,
  'pacing' | 'anonymous' | 'speed_scoring' | 'auto_advance_seconds'
>;

/**
 * Question sets (issue 16): a title, an ordered list of bank questions and how a run of them is
 * paced; owned like questions (another instructor's set answers 404).
 */
@Injectable()
export class QuestionSetsService {
  constructor(
    @InjectModel(QuestionSet.name) private readonly sets: Model<QuestionSet>,
    private readonly questions: QuestionsService,
  ) {}

  /** The set belongs to its creator (null for a bootstrap key: then only admins see it). */
  async create(actor: Actor, dto: CreateQuestionSetDto): Promise<QuestionSetDocument> {
    const settings: SetSettings = {
      pacing: dto.pacing,
      anonymous: dto.anonymous ?? false,
      speed_scoring: dto.speed_scoring ?? false,
      auto_advance_seconds: dto.auto_advance_seconds ?? null,
    };
    checkSettings(settings);
    const questionIds = dto.question_ids.map((id) => new Types.ObjectId(id));
    await this.requireInBank(actor, questionIds);
    return this.sets.create({
      title: dto.title,
      question_ids: questionIds,
      show_results_between: dto.show_results_between ?? true,
      ...settings,
      owner_id: actor.instructorId,
    });
  }

  /** The set if the actor may see it; anyone else's is 404, as if it did not exist. */
  async findById(actor: Actor, id: Types.ObjectId): Promise<QuestionSetDocument> {
    const set = await this.sets.findOne({ _id: id, ...visibleTo(actor) }).exec();
    if (!set) throw setNotFound(id);
    return set;
  }

  async list(
    actor: Actor,
    query: ListQuestionSetsQueryDto,
  ): Promise<NewestFirstPage<QuestionSetDocument>> {
    return newestFirstPage(this.sets, visibleTo(actor), query);
  }

  /**
   * The fields sent, laid over the stored set and checked whole (a pacing change and the stored
   * auto-advance must still agree); `question_ids` replaces the list and must all be in the bank.
   * Runs already started keep their own copy: nothing here reaches them.
   */
  async patch(
    actor: Actor,
    id: Types.ObjectId,
    dto: PatchQuestionSetDto | undefined,
  ): Promise<QuestionSetDocument> {
    const sent = Object.entries(dto ?? {}).filter(([, v]) => v !== undefined);
    // No body, or one naming nothing to change, is a mistake worth saying (not a silent 200).
    if (!dto || sent.length === 0) {
      throw new BadRequestException({
        message:
          'Nothing to change: send one or more of title, question_ids, pacing, show_results_between, anonymous, speed_scoring, auto_advance_seconds',
        details: [{ field: 'body', errors: ['at least one field is required'] }],
      });
    }
    const set = await this.findById(actor, id);
    const update: Partial<QuestionSet> = {};
    if (dto.title !== undefined) update.title = dto.title;
    if (dto.pacing !== undefined) update.pacing = dto.pacing;
    if (dto.show_results_between !== undefined)
      update.show_results_between = dto.show_results_between;
    if (dto.anonymous !== undefined) update.anonymous = dto.anonymous;
    if (dto.speed_scoring !== undefined) update.speed_scoring = dto.speed_scoring;
    if (dto.auto_advance_seconds !== undefined)
      update.auto_advance_seconds = dto.auto_advance_seconds;
    checkSettings({
      pacing: update.pacing ?? set.pacing,
      anonymous: update.anonymous ?? set.anonymous,
      speed_scoring: update.speed_scoring ?? set.speed_scoring,
      auto_advance_seconds:
        update.auto_advance_seconds !== undefined
          ? update.auto_advance_seconds
          : set.auto_advance_seconds,
    });
    if (dto.question_ids !== undefined) {
      update.question_ids = dto.question_ids.map((q) => new Types.ObjectId(q));
      await this.requireInBank(actor, update.question_ids);
    }
    const updated = await this.sets
      .findOneAndUpdate({ _id: id, ...visibleTo(actor) }, { $set: update }, { new: true })
      .exec();
    if (!updated) throw setNotFound(id);
    return updated;
  }

  /** Runs of the set keep their own copy of its questions (they do not need the set). */
  async remove(actor: Actor, id: Types.ObjectId): Promise<void> {
    const result = await this.sets.deleteOne({ _id: id, ...visibleTo(actor) }).exec();
    if (result.deletedCount === 0) throw setNotFound(id);
  }

  /**
   * The set with a snapshot of each of its questions, for a run about to start: 404 when the
   * actor may not see the set; 409 naming the questions the bank no longer has (or the actor
   * may no longer see), so a run never starts with a hole in it.
   */
  async forRun(actor: Actor, setId: Types.ObjectId): Promise<SetForRun> {
    const set = await this.findById(actor, setId);
    const found = await this.byId(actor, set.question_ids);
    const missing = set.question_ids.filter((q) => !found.has(q.toHexString()));
    if (missing.length > 0) {
      const named = missing.map((q) => q.toHexString());
      throw new ConflictException({
        message: `The set names ${missing.length === 1 ? 'a question' : 'questions'} no longer in your bank: ${named.join(', ')}. Remove ${missing.length === 1 ? 'it' : 'them'} from the set (PATCH question_ids) and start again`,
        details: [{ field: 'question_ids', errors: named.map((q) => `${q} is not in the bank`) }],
      });
    }
    return {
      id: set._id,
      title: set.title,
      owner_id: set.owner_id ?? null,
      pacing: set.pacing,
      show_results_between: set.show_results_between,
      anonymous: set.anonymous,
      speed_scoring: set.speed_scoring,
      auto_advance_seconds: set.auto_advance_seconds ?? null,
      questions: set.question_ids.map((q) => ({
        question_id: q,
        // A copy (questionSnapshot builds a new object): later bank edits do not reach it.
        question: questionSnapshot(found.get(q.toHexString())!),
      })),
    };
  }

  /** 400 naming every id the actor's bank does not hold (missing, or another instructor's). */
  private async requireInBank(actor: Actor, ids: readonly Types.ObjectId[]): Promise<void> {
    const found = await this.byId(actor, ids);
    const missing = ids.map((q) => q.toHexString()).filter((q) => !found.has(q));
    if (missing.length > 0) {
      throw validationFailed([
        {
          field: 'question_ids',
          errors: missing.map((q) => `question ${q} is not in your question bank`),
        },
      ]);
    }
  }

  private async byId(actor: Actor, ids: readonly Types.ObjectId[]) {
    const found = await this.questions.findVisibleByIds(actor, ids);
    return new Map(found.map((q) => [q._id.toHexString(), q]));
  }
}

/**
 * The one check of a set's settings taken together (create, and a patch laid over the stored
 * set): auto-advance is the instructor's pace, so a self-paced set cannot have it; speed
 * scoring ranks people, which an anonymous run does not know.
 */
function checkSettings(s: SetSettings): void {
  if (s.pacing === 'self' && s.auto_advance_seconds !== null) {
    throw validationFailed([
      {
        field: 'auto_advance_seconds',
        errors: [
          'auto_advance_seconds applies to instructor pacing only: in a self-paced run each person moves on by answering (send null, or pacing "instructor")',
        ],
      },
    ]);
  }
  if (s.anonymous && s.speed_scoring) {
    throw validationFailed([
      {
        field: 'speed_scoring',
        errors: [
          'speed_scoring cannot be combined with anonymous: an anonymous run keeps no one to rank',
        ],
      },
    ]);
  }
}

/** Sets are owned like questions (ownedBy, src/common/auth/owner-filter.ts). */
function visibleTo(actor: Actor): FilterQuery<QuestionSet> {
  return ownedBy(actor);
}

function setNotFound(id: Types.ObjectId): NotFoundException {
  return new NotFoundException(`Question set ${id.toHexString()} not found`);
}
