import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument } from 'mongoose';

/**
 * One occurrence (`object.uuid`) of a meeting number (`object.id`), docs/zoom.md §3. The current
 * occurrence of a meeting is the one whose earliest event is the latest: `first_event_ts` is a
 * `$min` over every event of the occurrence, so it needs no meeting.started (a missed webhook) and
 * does not depend on delivery order; occurrences of one meeting number never overlap in time.
 */
@Schema({
  collection: 'meeting_occurrences',
  timestamps: { createdAt: 'created_at', updatedAt: 'updated_at' },
})
export class MeetingOccurrence {
  @Prop({ required: true })
  meeting_id!: string;

  @Prop({ required: true })
  uuid!: string;

  @Prop({ type: String, enum: ['meeting', 'webinar'], required: true })
  kind!: 'meeting' | 'webinar';

  @Prop({ type: String, default: null })
  topic!: string | null;

  @Prop({ type: String, default: null })
  host_id!: string | null;

  @Prop({ type: Date, default: null })
  start_time!: Date | null;

  @Prop({ type: Date, default: null })
  end_time!: Date | null;

  @Prop({ type: Number, required: true })
  first_event_ts!: number;

  /** event_ts of meeting.started / webinar.started, when it came. */
  @Prop({ type: Number, default: null })
  started_ts!: number | null;

  /** event_ts of meeting.ended / webinar.ended: every join of this occurrence is then left. */
  @Prop({ type: Number, default: null })
  ended_ts!: number | null;

  created_at!: Date;
  updated_at!: Date;
}

export type MeetingOccurrenceDocument = HydratedDocument<MeetingOccurrence>;
export const MeetingOccurrenceSchema = SchemaFactory.createForClass(MeetingOccurrence);

// Every webhook touches its occurrence by (meeting_id, uuid).
MeetingOccurrenceSchema.index({ meeting_id: 1, uuid: 1 }, { unique: true });
// The current occurrence of a meeting: the latest first_event_ts (uuid breaks a tie).
MeetingOccurrenceSchema.index({ meeting_id: 1, first_event_ts: -1, uuid: -1 });
// GET /api/meetings: the meetings heard from most recently.
MeetingOccurrenceSchema.index({ first_event_ts: -1, uuid: -1 });
// Events without `object.id` find their meeting by occurrence uuid (docs/zoom.md §3).
MeetingOccurrenceSchema.index({ uuid: 1 });
// The retention job: occurrences idle (no event written) since before the cutoff, oldest first.
MeetingOccurrenceSchema.index({ updated_at: 1 });
