import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Schema as MongooseSchema } from 'mongoose';

export const PARTICIPANT_STATUSES = ['joined', 'left', 'waiting'] as const;
export type ParticipantStatus = (typeof PARTICIPANT_STATUSES)[number];

/**
 * One join of one person to one occurrence of a meeting (docs/architecture.md §3). Zoom delivers events
 * at least once and unordered (docs/zoom.md §3), so the record keeps only facts that order cannot
 * change: the `event_ts` of the newest join, leave, waiting-room entry and waiting-room leave it
 * has seen, each a `$max`, and the identity of its best event. Whether the join is in the meeting
 * now is derived from those and the occurrence's end when read (presenceOf in
 * src/participants/presence.ts), never stored: every write is then one upsert on the unique key
 * with order-insensitive operators (docs/architecture.md §16), and the record is a pure function
 * of the set of events received, whatever their order or repetition.
 */
@Schema({
  collection: 'participants',
  timestamps: { createdAt: 'created_at', updatedAt: 'updated_at' },
})
export class Participant {
  /** Meeting number (`object.id`), what people type. */
  @Prop({ required: true })
  meeting_id!: string;

  /** The occurrence (`object.uuid`): a recurring meeting has many (docs/zoom.md §3). */
  @Prop({ required: true })
  meeting_uuid!: string;

  /** The join: `participant_uuid`, else `user_id` (both per join, docs/zoom.md §3). */
  @Prop({ required: true })
  participant_key!: string;

  /** The person: Zoom user id, else lower-cased email, else participant_key. */
  @Prop({ required: true })
  person_key!: string;

  @Prop({ type: String, default: null })
  user_id!: string | null;

  @Prop({ type: String, default: null })
  participant_uuid!: string | null;

  /** `participant.id` / `participant_user_id`: the Zoom account user, null for guests. */
  @Prop({ type: String, default: null })
  zoom_user_id!: string | null;

  @Prop({ required: true, default: '' })
  name!: string;

  @Prop({ type: String, default: null })
  email!: string | null;

  /** Zoom's join_time: the latest it gave for this join (a `$max`; one join key is one join). */
  @Prop({ type: Date, default: null })
  join_time!: Date | null;

  /**
   * From a participant_left event (the latest Zoom gave for this join, a `$max`); a meeting end
   * is the occurrence's.
   */
  @Prop({ type: Date, default: null })
  leave_time!: Date | null;

  /** event_ts (ms) of the newest participant_joined applied (a `$max`). */
  @Prop({ type: Number, default: null })
  join_ts!: number | null;

  /** event_ts (ms) of the newest participant_left applied (a `$max`). */
  @Prop({ type: Number, default: null })
  leave_ts!: number | null;

  /**
   * event_ts (ms) of the newest waiting-room entry applied (participant_joined_waiting_room or
   * participant_put_in_waiting_room, docs/zoom.md §7): someone there is not in the meeting.
   */
  @Prop({ type: Number, default: null })
  waiting_ts!: number | null;

  /**
   * event_ts (ms) of the newest participant_left_waiting_room: it ends a waiting-room stay not
   * newer than it, and nothing else (an admitted person stays in the meeting).
   */
  @Prop({ type: Number, default: null })
  waiting_left_ts!: number | null;

  /**
   * Which event the identity fields (name, email, ids, raw_data) come from: any join outranks any
   * leave or sync snapshot, then the newest wins. Keeps them order-independent too.
   */
  @Prop({ type: Number, required: true })
  identity_rank!: number;

  /** Newest event_ts seen for this join, of any kind. */
  @Prop({ type: Number, required: true })
  last_event_ts!: number;

  /** Zoom's participant object from the event the identity comes from (debugging only). */
  @Prop({ type: MongooseSchema.Types.Mixed, default: null })
  raw_data!: Record<string, unknown> | null;

  created_at!: Date;
  updated_at!: Date;
}

export type ParticipantDocument = HydratedDocument<Participant>;
export const ParticipantSchema = SchemaFactory.createForClass(Participant);

// Every webhook: one record per join. meeting_uuid is part of the key (docs/architecture.md §3; the first design had
// meeting_id + participant_key) because user_id is only per meeting and per join (docs/zoom.md §3):
// without a participant_uuid, the same small number may come back in a later occurrence of a
// recurring meeting (*inferred*; cheap to be safe). Every write's filter is exactly this key (the
// test server uses an index for nothing else, docs/architecture.md §12); its (meeting_id,
// meeting_uuid) prefix also serves retention, which deletes every join of one occurrence.
ParticipantSchema.index({ meeting_id: 1, meeting_uuid: 1, participant_key: 1 }, { unique: true });
// Every read of who is in a meeting (GET /participants, currentPeople, isPresent, the sync):
// the joins of an occurrence in person order, newest join first, as the grouping and the
// person_key cursor need (no in-memory sort). Presence is derived from each record as it is read.
ParticipantSchema.index({
  meeting_id: 1,
  meeting_uuid: 1,
  person_key: 1,
  join_ts: -1,
  participant_key: 1,
});
