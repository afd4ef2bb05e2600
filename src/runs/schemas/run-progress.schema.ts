import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

/**
 * One person's place in a run (issue 16): for self pacing, the question they are on and when
 * they opened it (their own time limit counts from then); for an anonymous run, which questions
 * the link has answered (the answer itself names nobody, so the count of one answer per person
 * and question is kept here, as a delivery's `answered` flag keeps it for a single question).
 */
@Schema({
  collection: 'run_progress',
  timestamps: { createdAt: 'created_at', updatedAt: 'updated_at' },
})
export class RunProgress {
  @Prop({ type: Types.ObjectId, required: true }) run_id!: Types.ObjectId;
  /** The run delivery's recipient_key (the person key: broadcast.types.ts RecipientFacts). */
  @Prop({ type: String, required: true }) recipient_key!: string;
  /** Self pacing: the position of the question this person is on (steps.length: done). */
  @Prop({ type: Number, default: 0 }) index!: number;
  /** Self pacing: when this person first saw the question at `index`; null: not opened yet. */
  @Prop({ type: Date, default: null }) opened_at!: Date | null;
  /** Positions of the questions answered on this link (anonymous runs count once through it). */
  @Prop({ type: [Number], default: [] }) answered!: number[];
}

export const RunProgressSchema = SchemaFactory.createForClass(RunProgress);

// Every read and write names one person in one run.
RunProgressSchema.index({ run_id: 1, recipient_key: 1 }, { unique: true });
