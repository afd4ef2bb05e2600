import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';
import { DEFAULT_LANGUAGE, LANGUAGES, type Language } from '../../common/i18n/languages';
import type { AnswerRecord } from '../answer.types';

/**
 * One answer to one broadcast question. Written once; never updated. The answer path inserts
 * through the driver (AnswersRepository.insertFirst), so these declarations describe the stored
 * shape and serve reads; AnswerRecord (answer.types.ts) says what each field means.
 */
@Schema({ collection: 'answers', versionKey: false })
export class Answer implements AnswerRecord {
  @Prop({ type: Types.ObjectId, required: true }) broadcast_id!: Types.ObjectId;
  /** Copied from the broadcast so the meeting leaderboard is one indexed query. */
  @Prop({ required: true }) meeting_id!: string;
  /**
   * The person: the delivery's recipient_key in direct mode (a person Zoom identified); in
   * channel mode (one shared link) `self:` + the lower-cased email the participant typed, a
   * namespace no Zoom person key is in, so a typed identity never lands on a Zoom-identified row.
   * On an anonymous answer `anon:` + random hex: a key of nobody, there for the unique index.
   */
  @Prop({ required: true }) recipient_key!: string;
  /**
   * True when the identity is only what the participant typed (channel mode): anyone can type
   * anyone's email. Absent on answers stored before the field existed: those are direct answers.
   */
  @Prop({ type: Boolean, default: false }) self_reported!: boolean;
  /** '' on an anonymous answer. */
  @Prop({ type: String, default: '' }) name!: string;
  @Prop({ type: String, default: null }) email!: string | null;
  /** The delivery the link belonged to (the channel's one delivery in channel mode); null when anonymous. */
  @Prop({ type: Types.ObjectId, default: null }) delivery_id!: Types.ObjectId | null;

  // The answer's value (AnswerValue): only the question type's field(s) are stored.
  /** single, true_false: the option index. */
  @Prop({ type: Number }) choice?: number;
  /** multiple: distinct option indices, ascending. */
  @Prop({ type: [Number], default: undefined }) choices?: number[];
  /** rating (an integer on the scale), numeric (a number). */
  @Prop({ type: Number }) value?: number;
  /** text: trimmed, NFC. */
  @Prop({ type: String }) text?: string;
  /** ranking: a permutation of the option indices, first = ranked top. */
  @Prop({ type: [Number], default: undefined }) order?: number[];

  /** null when the question cannot be right or wrong. */
  @Prop({ type: Boolean, default: null }) correct!: boolean | null;
  /** 0 to 1; absent on answers stored before question types (withAnswerDefaults). */
  @Prop({ type: Number, default: null }) credit!: number | null;
  @Prop({ required: true }) score!: number;
  @Prop({ required: true }) answered_at!: Date;
  /** answered_at − the recipient's sent_at: what speed scoring measures; null when anonymous. */
  @Prop({ type: Number, default: null }) latency_ms!: number | null;
  /** The answer page's language; absent on older answers: English. */
  @Prop({ type: String, enum: LANGUAGES, default: DEFAULT_LANGUAGE }) lang!: Language;
  /** Given to an anonymous question; absent on older answers: false. */
  @Prop({ type: Boolean, default: false }) anonymous!: boolean;
}

export const AnswerSchema = SchemaFactory.createForClass(Answer);

// "The first answer is final", race-free: a concurrent second insert fails with 11000 (→ 409).
// Its broadcast_id prefix serves every read of one broadcast's answers (results, CSV, live counts).
AnswerSchema.index({ broadcast_id: 1, recipient_key: 1 }, { unique: true });
// The live feed's poll on a server without change streams (answers.repository newerThan): the
// answers of the watched broadcasts above the last `_id` seen, one index range per broadcast.
AnswerSchema.index({ broadcast_id: 1, _id: 1 });
// GET /api/meetings/{meeting_id}/leaderboard: every answer given in a meeting.
AnswerSchema.index({ meeting_id: 1 });
