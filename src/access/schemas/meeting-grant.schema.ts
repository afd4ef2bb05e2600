import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument } from 'mongoose';
import { GRANT_ROLES, type GrantRole } from '../access.types';

/**
 * An instructor's grant in one meeting, given by its host or an admin. `_id` is the pair, so the
 * check on every request is an exact unique-key read and a second PUT replaces the first.
 */
@Schema({
  collection: 'meeting_grants',
  versionKey: false,
  timestamps: { createdAt: 'created_at', updatedAt: 'updated_at' },
})
export class MeetingGrant {
  /** `<meeting id>:<instructor id>` */
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) meeting_id!: string;
  @Prop({ required: true }) instructor_id!: string;
  @Prop({ type: String, enum: GRANT_ROLES, required: true }) role!: GrantRole;
  /** Who granted it last: an instructor id, or null for a bootstrap key. */
  @Prop({ type: String, default: null }) granted_by!: string | null;
  created_at!: Date;
  updated_at!: Date;
}

export type MeetingGrantDocument = HydratedDocument<MeetingGrant>;
export const MeetingGrantSchema = SchemaFactory.createForClass(MeetingGrant);

export const grantKey = (meetingId: string, instructorId: string): string =>
  `${meetingId}:${instructorId}`;

// GET /api/meetings/{meeting_id}/instructors: a meeting's grants, by instructor.
MeetingGrantSchema.index({ meeting_id: 1, instructor_id: 1 });
