import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Types } from 'mongoose';
import type { QuestionSnapshot } from '../../broadcasts/broadcast.types';
import {
  RUN_END_REASONS,
  RUN_PACINGS,
  RUN_STATES,
  type RunEndReason,
  type RunPacing,
  type RunRecord,
  type RunState,
  type RunStep,
} from '../run.types';

@Schema({ _id: false })
class StoredRunStep implements RunStep {
  @Prop({ type: Types.ObjectId, required: true }) question_id!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) broadcast_id!: Types.ObjectId;
  @Prop({ type: Number, required: true }) time_limit!: number;
}
const RunStepSchema = SchemaFactory.createForClass(StoredRunStep);

/** A run of a question set (issue 16); RunRecord (run.types.ts) says what each field means. */
@Schema({ collection: 'runs', timestamps: { createdAt: 'created_at', updatedAt: 'updated_at' } })
export class Run implements Omit<RunRecord, '_id'> {
  @Prop({ type: Types.ObjectId, required: true }) set_id!: Types.ObjectId;
  @Prop({ type: String, default: null }) owner_id!: string | null;
  @Prop({ type: String, required: true }) title!: string;
  @Prop({ type: String, required: true }) meeting_id!: string;
  @Prop({ type: String, default: null }) occurrence_uuid!: string | null;
  @Prop({ type: String, enum: RUN_PACINGS, required: true }) pacing!: RunPacing;
  @Prop({ type: Boolean, default: true }) show_results_between!: boolean;
  @Prop({ type: Boolean, default: false }) anonymous!: boolean;
  @Prop({ type: Boolean, default: false }) speed_scoring!: boolean;
  @Prop({ type: Number, default: null }) auto_advance_seconds!: number | null;
  @Prop({ type: Types.ObjectId, required: true }) broadcast_id!: Types.ObjectId;
  @Prop({ type: [RunStepSchema], required: true }) steps!: RunStep[];
  @Prop({ type: String, enum: RUN_STATES, required: true }) state!: RunState;
  @Prop({ type: Number, default: 0 }) current_index!: number;
  @Prop({ type: Date, default: null }) current_opened_at!: Date | null;
  @Prop({ type: Date, default: null }) current_deadline!: Date | null;
  @Prop({ type: Date, default: null }) ends_at!: Date | null;
  @Prop({ type: Date, required: true }) started_at!: Date;
  @Prop({ type: Date, default: null }) ended_at!: Date | null;
  @Prop({ type: String, enum: RUN_END_REASONS, default: null }) end_reason!: RunEndReason | null;
  @Prop({ type: Number, default: 0 }) version!: number;
  @Prop({ type: Types.ObjectId, default: null }) arm_id!: Types.ObjectId | null;
  /**
   * `<meeting_id>:<set_id>` while the run is starting or running, `ended:<run id>` once ended:
   * the unique index below then allows one live run per meeting and set, decided by the insert
   * itself (no read before it), on MongoDB and the test server alike (no partial index).
   */
  @Prop({ type: String, required: true }) active_key!: string;
  /**
   * The questions as snapshotted at the start, in order (QuestionSnapshot, broadcast.types.ts):
   * what the step broadcasts are written from, so a start cut short is finished without the set.
   */
  @Prop({ type: [Object], required: true }) step_questions!: QuestionSnapshot[];
  /** Self pacing: the run's length as asked at the start (ends_at counts from when it runs). */
  @Prop({ type: Number, default: null }) duration_seconds!: number | null;
  /**
   * Set by every transition that leaves a step behind (next, end): its step broadcasts are
   * closed after the transition and this cleared; the runs worker finishes it after a crash.
   */
  @Prop({ type: Boolean, default: false }) closing!: boolean;
  created_at!: Date;
  updated_at!: Date;
}

export type RunDocument = HydratedDocument<Run>;
export const RunSchema = SchemaFactory.createForClass(Run);

// GET /api/meetings/{meeting_id}/runs: a meeting's runs, newest first.
RunSchema.index({ meeting_id: 1, created_at: -1 });
// The runs worker: runs still starting or running (deadlines, auto-advance, late joiners).
RunSchema.index({ state: 1 });
// One starting or running run per meeting and set (active_key); a second start gets 11000.
RunSchema.index({ active_key: 1 }, { unique: true });
// The runs worker: transitions whose steps are not all closed yet (a crash in between).
RunSchema.index({ closing: 1 });
