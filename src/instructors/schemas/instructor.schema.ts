import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument } from 'mongoose';
import { ROLES, type Role } from '../../common/auth/actor';

/** A person who uses the API with keys of their own (docs/architecture.md §10). */
@Schema({
  collection: 'instructors',
  timestamps: { createdAt: 'created_at', updatedAt: 'updated_at' },
})
export class Instructor {
  @Prop({ required: true })
  name!: string;

  /** Always lower-case (the DTOs and the service lower-case it), so the unique index is exact. */
  @Prop({ required: true })
  email!: string;

  /** The instructor's Zoom user id, when known (meeting hosts are matched on it). */
  @Prop({ type: String, default: null })
  zoom_user_id!: string | null;

  @Prop({ type: String, enum: ROLES, required: true })
  role!: Role;

  /** Null while active; set when an admin disables the account, which refuses all its keys. */
  @Prop({ type: Date, default: null })
  disabled_at!: Date | null;

  created_at!: Date;
  updated_at!: Date;
}

export type InstructorDocument = HydratedDocument<Instructor>;
export const InstructorSchema = SchemaFactory.createForClass(Instructor);

// One account per email: POST/PATCH /api/instructors answer 409 on a duplicate.
InstructorSchema.index({ email: 1 }, { unique: true });
// GET /api/instructors: newest first, with _id as the tie-breaker the cursor needs.
InstructorSchema.index({ created_at: -1, _id: -1 });
