import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * Who Zoom last said hosts a meeting (`GET /meetings/{id}`: `host_id`, `host_email`), and when it
 * said so: the answer is remembered so that each request does not ask Zoom again
 * (MeetingHostsService holds the refresh policy). `_id` is the meeting number.
 */
@Schema({ collection: 'meeting_hosts', versionKey: false })
export class MeetingHost {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, default: null }) host_id!: string | null;
  /** Lower-cased, as matched. */
  @Prop({ type: String, default: null }) host_email!: string | null;
  @Prop({ required: true }) checked_at!: Date;
  /** Zoom answered 404 at checked_at: the meeting is gone, its last known host stays its host. */
  @Prop({ type: Boolean, default: false }) gone!: boolean;
}

export const MeetingHostSchema = SchemaFactory.createForClass(MeetingHost);
