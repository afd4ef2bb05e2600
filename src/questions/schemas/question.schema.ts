import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument } from 'mongoose';
import {
  QUESTION_TYPES,
  type QuestionBody,
  type QuestionType,
  type RatingScale,
} from '../../question-types/question-types';
import { DIFFICULTIES, QUESTION_DEFAULTS, type Difficulty } from '../question.types';

/**
 * A question in the instructor's bank. Field names are the original API's (snake_case). Every
 * type's fields are stored flat (QuestionBody, src/question-types/question-types.ts); those not of
 * the question's type are null (`options` [] for rating, numeric and text). Questions stored
 * before types lack `type` and the new fields: read them with withTypeDefaults, never directly.
 */
@Schema({
  collection: 'questions',
  timestamps: { createdAt: 'created_at', updatedAt: 'updated_at' },
})
export class Question implements Omit<QuestionBody, 'type'> {
  @Prop({ required: true })
  title!: string;

  @Prop({ required: true })
  question_text!: string;

  /** Absent on questions stored before types: those are single (withTypeDefaults). */
  @Prop({ type: String, enum: QUESTION_TYPES })
  type?: QuestionType;

  @Prop({ type: [String], required: true })
  options!: string[];

  /** single, true_false: index into `options`, or null for a survey question (no score). */
  @Prop({ type: Number, default: null })
  correct_answer!: number | null;

  @Prop({ type: [Number], default: null }) correct_answers!: number[] | null;
  @Prop({ type: Number, default: null }) max_choices!: number | null;
  /** {min, max, min_label, max_label}, written whole by the service. */
  @Prop({ type: Object, default: null }) scale!: RatingScale | null;
  @Prop({ type: Number, default: null }) correct_value!: number | null;
  @Prop({ type: Number, default: null }) tolerance!: number | null;
  @Prop({ type: String, default: null }) unit!: string | null;
  @Prop({ type: [String], default: null }) accepted_answers!: string[] | null;
  @Prop({ type: Number, default: null }) max_length!: number | null;
  @Prop({ type: [Number], default: null }) correct_order!: number[] | null;

  /** Seconds the question stays open after it is sent. */
  @Prop({ required: true, default: QUESTION_DEFAULTS.time_limit })
  time_limit!: number;

  @Prop({ required: true, default: QUESTION_DEFAULTS.points })
  points!: number;

  @Prop({ type: String, enum: DIFFICULTIES, default: QUESTION_DEFAULTS.difficulty })
  difficulty!: Difficulty;

  @Prop({ required: true, default: QUESTION_DEFAULTS.category })
  category!: string;

  @Prop({ type: [String], default: [] })
  tags!: string[];

  /**
   * The instructor who created it: only they (and admins) see, change, delete and send it. Null for
   * a bootstrap key's questions; absent on questions stored before ownership: admins' only.
   */
  @Prop({ type: String, default: null })
  owner_id!: string | null;

  created_at!: Date;
  updated_at!: Date;
}

export type QuestionDocument = HydratedDocument<Question>;
export const QuestionSchema = SchemaFactory.createForClass(Question);

// GET /api/questions: newest first, with _id as the tie-breaker the cursor needs.
QuestionSchema.index({ created_at: -1, _id: -1 });
// GET /api/questions?category=...: filtered list, still newest first.
QuestionSchema.index({ category: 1, created_at: -1, _id: -1 });
// GET /api/questions?difficulty=...
QuestionSchema.index({ difficulty: 1, created_at: -1, _id: -1 });
// GET /api/questions?type=... (type single also matches the questions stored without a type:
// `$in: ['single', null]`, which this index serves, missing fields being indexed as null).
QuestionSchema.index({ type: 1, created_at: -1, _id: -1 });
// GET /api/questions?tag=... (multikey index over the tags array).
QuestionSchema.index({ tags: 1, created_at: -1, _id: -1 });
// GET /api/questions as a non-admin: the owner's questions, newest first (the filters above
// then narrow the owner's few questions rather than the whole bank).
QuestionSchema.index({ owner_id: 1, created_at: -1, _id: -1 });
