import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * Who may run a background job now, across every instance (docs/architecture.md §14): `_id` is
 * the job's name, so taking the lease is one write on a unique key. Held while `until` is in the
 * future; a finished run pushes `until` to when the job is next due, so one run serves all.
 */
@Schema({ collection: 'job_leases', versionKey: false })
export class JobLease {
  @Prop({ type: String, required: true }) _id!: string;
  /** The instance that took it (random per process). */
  @Prop({ required: true }) owner!: string;
  @Prop({ required: true }) until!: Date;
}

export const JobLeaseSchema = SchemaFactory.createForClass(JobLease);
