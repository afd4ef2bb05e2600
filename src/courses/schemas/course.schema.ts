import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument } from 'mongoose';
import type { RosterEntry } from '../../common/course-records';

/** One student of a course's roster (src/common/course-records.ts), embedded in the course. */
@Schema({ _id: false })
export class RosterStudent implements RosterEntry {
  @Prop({ type: String, required: true }) name!: string;
  /** Lower-cased; unique in the roster (checked by checkRoster before any write). */
  @Prop({ type: String, default: null }) email!: string | null;
  @Prop({ type: String, default: null }) student_id!: string | null;
}
const RosterStudentSchema = SchemaFactory.createForClass(RosterStudent);

/**
 * A course (issue 18): a title, the meetings its classes are held in (a recurring meeting's
 * number covers all its occurrences) and its roster. It belongs to its creator, like a question
 * (docs/architecture.md §10). The roster is embedded: it is read and replaced whole, and at most
 * MAX_ROSTER_STUDENTS (roster.ts) keeps the document far below MongoDB's 16 MB.
 */
@Schema({
  collection: 'courses',
  timestamps: { createdAt: 'created_at', updatedAt: 'updated_at' },
})
export class Course {
  @Prop({ type: String, required: true })
  title!: string;

  /** Meeting numbers (meeting-id.ts), deduplicated, in the order given. */
  @Prop({ type: [String], default: [] })
  meeting_ids!: string[];

  /** The creator; null for a bootstrap key's course (then only admins see it). */
  @Prop({ type: String, default: null })
  owner_id!: string | null;

  /** Read only by the roster and record routes; other reads leave it out (WITHOUT_ROSTER). */
  @Prop({ type: [RosterStudentSchema], default: [] })
  roster!: RosterStudent[];

  /** roster.length, written with the roster, so a list need not load thousands of students. */
  @Prop({ type: Number, default: 0 })
  roster_size!: number;

  /** When the roster was last replaced; null until the first upload. */
  @Prop({ type: Date, default: null })
  roster_updated_at!: Date | null;

  created_at!: Date;
  updated_at!: Date;
}

export type CourseDocument = HydratedDocument<Course>;
export const CourseSchema = SchemaFactory.createForClass(Course);

// An admin's list, newest first, with the cursor's tie-breaker (newestFirstPage).
CourseSchema.index({ created_at: -1, _id: -1 });
// A non-admin's own list (owner_id equality, then the same order).
CourseSchema.index({ owner_id: 1, created_at: -1, _id: -1 });
// Erasure (DELETE /api/people/{email}): the courses whose roster names the person.
CourseSchema.index({ 'roster.email': 1 });
