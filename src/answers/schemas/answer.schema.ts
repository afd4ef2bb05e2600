import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';
import type { AnswerRecord } from '../answer.types';

/** One person's answer to one broadcast question. Written once; never updated. */
@Schema({ collection: 'answers', versionKey: false })
export class Answer implements AnswerRecord {
  @Prop({ type: Types.ObjectId, required: true }) broadcast_id!: Types.ObjectId;
  /** Copied from the broadcast so the meeting leaderboard is one indexed query. */
  @Prop({ required: true }) meeting_id!: string;
  /**
   * The person: the delivery's recipient_key in direct mode (a person Zoom identified); in
   * channel mode (one shared link) `self:` + the lower-cased email the participant typed, a
   * namespace no Zoom person key is in, so a typed identity never lands on a Zoom-identified row.
   */
  @Prop({ required: true }) recipient_key!: string;
  /**
   * True when the identity is only what the participant typed (channel mode): anyone can type
   * anyone's email. Absent on answers stored before the field existed: those are direct answers.
   */
  @Prop({ type: Boolean, default: false }) self_reported!: boolean;
  @Prop({ required: true }) name!: string;
  @Prop({ type: String, default: null }) email!: string | null;
  /** The delivery the link belonged to (the channel's one delivery in channel mode). */
  @Prop({ type: Types.ObjectId, required: true }) delivery_id!: Types.ObjectId;
  @Prop({ required: true }) choice!: number;
  /** null for a survey question. */
  @Prop({ type: Boolean, default: null }) correct!: boolean | null;
  @Prop({ required: true }) score!: number;
  @Prop({ required: true }) answered_at!: Date;
  /** answered_at − the recipient's sent_at: what speed scoring measures. */
  @Prop({ required: true }) latency_ms!: number;
}

export const AnswerSchema = SchemaFactory.createForClass(Answer);

// "The first answer is final", race-free: a concurrent second insert fails with 11000 (→ 409).
// Its broadcast_id prefix serves every read of one broadcast's answers (results, CSV, live counts).
AnswerSchema.index({ broadcast_id: 1, recipient_key: 1 }, { unique: true });
// GET /api/meetings/{meeting_id}/leaderboard: every answer given in a meeting.
AnswerSchema.index({ meeting_id: 1 });
