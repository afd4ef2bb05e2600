import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Types } from 'mongoose';

export const BROADCAST_MODES = ['direct', 'channel'] as const;
export type BroadcastMode = (typeof BROADCAST_MODES)[number];

/**
 * The question as it was when sent. Results are scored against this copy, so editing or deleting
 * the question in the bank later never rewrites what participants answered.
 */
@Schema({ _id: false })
export class QuestionSnapshot {
  @Prop({ required: true }) title!: string;
  @Prop({ required: true }) question_text!: string;
  @Prop({ type: [String], required: true }) options!: string[];
  @Prop({ type: Number, default: null }) correct_answer!: number | null;
  @Prop({ required: true }) time_limit!: number;
  @Prop({ required: true }) points!: number;
}
export const QuestionSnapshotSchema = SchemaFactory.createForClass(QuestionSnapshot);

/** One send of one question (or link) to one meeting. Per-recipient state lives in deliveries. */
@Schema({
  collection: 'broadcasts',
  timestamps: { createdAt: 'created_at', updatedAt: 'updated_at' },
})
export class Broadcast {
  @Prop({ required: true }) meeting_id!: string;

  /** Question broadcasts are answered on our page; link broadcasts (original API) just deliver a URL. */
  @Prop({ type: String, enum: ['question', 'link'], required: true }) kind!: 'question' | 'link';

  @Prop({ type: Types.ObjectId, default: null }) question_id!: Types.ObjectId | null;
  @Prop({ type: QuestionSnapshotSchema, default: null }) question!: QuestionSnapshot | null;
  @Prop({ type: String, default: null }) question_link!: string | null;
  /** Instructor's own text, sent before the link. */
  @Prop({ type: String, default: null }) message!: string | null;

  @Prop({ type: String, enum: BROADCAST_MODES, default: 'direct' }) mode!: BroadcastMode;
  /** Continuous-meeting-chat channel, for mode "channel" (ZOOM.md §2). */
  @Prop({ type: String, default: null }) channel_id!: string | null;

  @Prop({ required: true }) opens_at!: Date;
  /** Set once every delivery has finished (sent, failed or unreachable). */
  @Prop({ type: Date, default: null }) completed_at!: Date | null;

  created_at!: Date;
  updated_at!: Date;
}

export type BroadcastDocument = HydratedDocument<Broadcast>;
export const BroadcastSchema = SchemaFactory.createForClass(Broadcast);

// GET /api/meetings/{meeting_id}/broadcasts (newest first) and the meeting leaderboard.
BroadcastSchema.index({ meeting_id: 1, created_at: -1 });
