import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';
import { ROLES, type Role } from '../../common/auth/actor';
import { RUN_ARM_STATES, type RunArmState } from '../run.types';

/**
 * A run armed to start itself (issue 16): when Zoom's `meeting.started` for the meeting arrives,
 * `start_at` = then + delay_seconds (state scheduled); the runs worker on any instance takes a
 * due arm with one conditional update and starts its run (the run's id comes from the arm's, so
 * a start repeated after a crash finds the run instead of starting a second).
 */
@Schema({
  collection: 'run_arms',
  timestamps: { createdAt: 'created_at', updatedAt: 'updated_at' },
})
export class RunArm {
  @Prop({ type: Types.ObjectId, required: true }) set_id!: Types.ObjectId;
  @Prop({ type: String, default: null }) owner_id!: string | null;
  /** The role of whoever armed it: the start acts as them (their sets, as they could see them). */
  @Prop({ type: String, enum: ROLES, default: 'instructor' }) owner_role!: Role;
  @Prop({ type: String, required: true }) meeting_id!: string;
  @Prop({ type: Number, default: 0 }) delay_seconds!: number;
  /** Self pacing: the run's length once started (null: the default). */
  @Prop({ type: Number, default: null }) duration_seconds!: number | null;
  @Prop({ type: String, enum: RUN_ARM_STATES, default: 'armed' }) state!: RunArmState;
  @Prop({ type: Date, default: null }) start_at!: Date | null;
  /** When an instance took it to start (a take older than a lease is taken again). */
  @Prop({ type: Date, default: null }) taken_at!: Date | null;
  @Prop({ type: Types.ObjectId, default: null }) run_id!: Types.ObjectId | null;
  /** Why the start it was armed for could not happen (the set is gone, a run of it is live). */
  @Prop({ type: String, default: null }) error!: string | null;
  created_at!: Date;
  updated_at!: Date;
}

export const RunArmSchema = SchemaFactory.createForClass(RunArm);

// meeting.started: the arms of a meeting; the worker: scheduled arms that are due.
RunArmSchema.index({ meeting_id: 1, state: 1 });
RunArmSchema.index({ state: 1, start_at: 1 });
