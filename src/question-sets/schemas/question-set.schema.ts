import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Types } from 'mongoose';
import { RUN_PACINGS, type RunPacing } from '../../runs/run.types';

/**
 * A question set (issue 16, docs/architecture.md §26): a title, bank questions in the order they
 * are asked, and how a run of them goes. It belongs to its creator, like a question
 * (docs/architecture.md §10). The questions are referenced, not copied: a run copies them when
 * it starts (QuestionSetsService.forRun), so the set always runs the bank's current text.
 */
@Schema({
  collection: 'question_sets',
  timestamps: { createdAt: 'created_at', updatedAt: 'updated_at' },
})
export class QuestionSet {
  @Prop({ type: String, required: true })
  title!: string;

  /** Bank question ids, distinct, in the order a run asks them (1 to MAX_SET_QUESTIONS). */
  @Prop({ type: [Types.ObjectId], required: true })
  question_ids!: Types.ObjectId[];

  @Prop({ type: String, enum: RUN_PACINGS, required: true })
  pacing!: RunPacing;

  /** Instructor pacing: the waiting screen between questions shows the last one's results. */
  @Prop({ type: Boolean, default: true })
  show_results_between!: boolean;

  /** Runs store answers with no link to the person (aggregates only), as anonymous sends do. */
  @Prop({ type: Boolean, default: false })
  anonymous!: boolean;

  /** Faster correct answers score more (never with `anonymous`: there is no one to rank). */
  @Prop({ type: Boolean, default: false })
  speed_scoring!: boolean;

  /** Instructor pacing only: advance by itself this many seconds after a question's time is up
   * (or once everyone present has answered); null: only `next` advances. */
  @Prop({ type: Number, default: null })
  auto_advance_seconds!: number | null;

  /** The creator; null for a bootstrap key's set (then only admins see it). */
  @Prop({ type: String, default: null })
  owner_id!: string | null;

  created_at!: Date;
  updated_at!: Date;
}

export type QuestionSetDocument = HydratedDocument<QuestionSet>;
export const QuestionSetSchema = SchemaFactory.createForClass(QuestionSet);

// An admin's list (GET /api/question-sets), newest first, with the cursor's tie-breaker.
QuestionSetSchema.index({ created_at: -1, _id: -1 });
// A non-admin's own list (owner_id equality, then the same order). One set's routes find it by
// _id (the default index) with the owner filter on top.
QuestionSetSchema.index({ owner_id: 1, created_at: -1, _id: -1 });
