import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Types } from 'mongoose';
import {
  BROADCAST_KINDS,
  BROADCAST_MODES,
  type BroadcastKind,
  type BroadcastMode,
  type QuestionSnapshot,
} from '../broadcast.types';

/** The stored form of a QuestionSnapshot (broadcast.types.ts). */
@Schema({ _id: false })
class StoredQuestionSnapshot implements QuestionSnapshot {
  @Prop({ required: true }) title!: string;
  @Prop({ required: true }) question_text!: string;
  @Prop({ type: [String], required: true }) options!: string[];
  @Prop({ type: Number, default: null }) correct_answer!: number | null;
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
  /** Instructor's own text, sent before the link. */
  @Prop({ type: String, default: null }) message!: string | null;

  @Prop({ type: String, enum: BROADCAST_MODES, default: 'direct' }) mode!: BroadcastMode;
  /** Continuous-meeting-chat channel, for mode "channel" (docs/zoom.md §2). */
  @Prop({ type: String, default: null }) channel_id!: string | null;

  @Prop({ required: true }) opens_at!: Date;
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
