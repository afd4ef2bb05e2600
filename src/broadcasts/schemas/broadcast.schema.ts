import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Types } from 'mongoose';
import {
  BROADCAST_KINDS,
  BROADCAST_MODES,
  type BroadcastKind,
  type BroadcastMode,
  type QuestionSnapshot,
} from '../broadcast.types';
import {
  DEFAULT_QUESTION_TYPE,
  QUESTION_TYPES,
  type QuestionType,
  type RatingScale,
} from '../../question-types/question-types';

/** The stored form of a QuestionSnapshot (broadcast.types.ts). */
@Schema({ _id: false })
class StoredQuestionSnapshot implements QuestionSnapshot {
  @Prop({ required: true }) title!: string;
  @Prop({ required: true }) question_text!: string;
  @Prop({ type: [String], required: true }) options!: string[];
  @Prop({ type: Number, default: null }) correct_answer!: number | null;
  /** Absent on snapshots stored before question types: those are single-choice (withTypeDefaults). */
  @Prop({ type: String, enum: QUESTION_TYPES, default: DEFAULT_QUESTION_TYPE }) type!: QuestionType;
  @Prop({ type: [Number], default: null }) correct_answers!: number[] | null;
  @Prop({ type: Number, default: null }) max_choices!: number | null;
  @Prop({ type: Object, default: null }) scale!: RatingScale | null;
  @Prop({ type: Number, default: null }) correct_value!: number | null;
  @Prop({ type: Number, default: null }) tolerance!: number | null;
  @Prop({ type: String, default: null }) unit!: string | null;
  @Prop({ type: [String], default: null }) accepted_answers!: string[] | null;
  @Prop({ type: Number, default: null }) max_length!: number | null;
  @Prop({ type: [Number], default: null }) correct_order!: number[] | null;
  @Prop({ required: true }) time_limit!: number;
  @Prop({ required: true }) points!: number;
}
const QuestionSnapshotSchema = SchemaFactory.createForClass(StoredQuestionSnapshot);

/** One send of one question (or link) to one meeting. Per-recipient state lives in deliveries. */
@Schema({
  collection: 'broadcasts',
  timestamps: { createdAt: 'created_at', updatedAt: 'updated_at' },
})
export class Broadcast {
  @Prop({ required: true }) meeting_id!: string;

  /** Question broadcasts are answered on our page; link broadcasts (original API) just deliver a URL. */
  @Prop({ type: String, enum: BROADCAST_KINDS, required: true }) kind!: BroadcastKind;

  @Prop({ type: Types.ObjectId, default: null }) question_id!: Types.ObjectId | null;
  @Prop({ type: QuestionSnapshotSchema, default: null }) question!: QuestionSnapshot | null;
  @Prop({ type: String, default: null }) question_link!: string | null;
  /** See SentBroadcast.anonymous (broadcast.types.ts). */
  @Prop({ type: Boolean, default: false }) anonymous!: boolean;
  /** Instructor's own text, sent before the link. */
  @Prop({ type: String, default: null }) message!: string | null;

  @Prop({ type: String, enum: BROADCAST_MODES, default: 'direct' }) mode!: BroadcastMode;
  /** Continuous-meeting-chat channel, for mode "channel" (docs/zoom.md §2). */
  @Prop({ type: String, default: null }) channel_id!: string | null;

  @Prop({ required: true }) opens_at!: Date;
  /**
   * The meeting occurrence (`object.uuid`) the question was sent in: the one its recipients were
   * in. Null on broadcasts stored before it was recorded (occurrenceOfBroadcast in
   * broadcast.types.ts places those), and when the meeting had no occurrence on record.
   */
  @Prop({ type: String, default: null }) occurrence_uuid!: string | null;
  /** SentBroadcast.run_id (broadcast.types.ts): the run (issue 16) this broadcast belongs to. */
  @Prop({ type: Types.ObjectId, default: null }) run_id!: Types.ObjectId | null;
  /** SentBroadcast.run_index: a step broadcast's question position in its run. */
  @Prop({ type: Number, default: null }) run_index!: number | null;
  /** SentBroadcast.run_question_count: on a run broadcast (kind 'run'), for its message. */
  @Prop({ type: Number, default: null }) run_question_count!: number | null;

  /** Set once every delivery has finished (sent, failed or unreachable). */
  @Prop({ type: Date, default: null }) completed_at!: Date | null;
  /**
   * POST /api/broadcasts/{id}/close: every recipient's answer window ends here if it had not
   * already (set once; windowEnd in broadcast.types.ts is the rule).
   */
  @Prop({ type: Date, default: null }) closed_at!: Date | null;
  /** POST /api/broadcasts/{id}/reveal: people who answered are shown the right option (set once). */
  @Prop({ type: Date, default: null }) revealed_at!: Date | null;

  created_at!: Date;
  updated_at!: Date;
}

export type BroadcastDocument = HydratedDocument<Broadcast>;
export const BroadcastSchema = SchemaFactory.createForClass(Broadcast);

// GET /api/meetings/{meeting_id}/broadcasts (newest first).
BroadcastSchema.index({ meeting_id: 1, created_at: -1 });
// The retention job: broadcasts created before the cutoff, oldest first.
BroadcastSchema.index({ created_at: 1 });
// A run's broadcasts: its run broadcast found from one of its steps (recipientsSource).
BroadcastSchema.index({ run_id: 1, kind: 1 });
