import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Schema as MongooseSchema } from 'mongoose';

export const PARTICIPANT_STATUSES = ['joined', 'left', 'waiting'] as const;
export type ParticipantStatus = (typeof PARTICIPANT_STATUSES)[number];

/**
 * One join of one person to one occurrence of a meeting (docs/architecture.md §3). Zoom delivers events
 * at least once and unordered (docs/zoom.md §3), so the record keeps the `event_ts` of the newest join,
 * leave, waiting-room entry and meeting end it has applied, separately, and `status` is always
 * that of the newest of them (a missing ts counts as minus infinity; on equal ts a leave or end
 * beats a waiting-room entry, which beats a join): `left` iff `max(leave_ts, ended_ts) >=
 * max(join_ts, waiting_ts)`, else `waiting` iff `waiting_ts >= join_ts`, else `joined`. Every
 * update keeps that invariant atomically (see ParticipantsRepository), which makes the final
 * record a pure function of the set of events received, whatever their order or repetition.
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

  @Prop({ type: Date, default: null })
  join_time!: Date | null;

  /** From a participant_left event; a meeting end is kept apart in ended_ts. */
  @Prop({ type: Date, default: null })
  leave_time!: Date | null;

  @Prop({ type: String, enum: PARTICIPANT_STATUSES, required: true })
  status!: ParticipantStatus;

  /** event_ts (ms) of the newest participant_joined applied. */
  @Prop({ type: Number, default: null })
  join_ts!: number | null;

  /** event_ts (ms) of the newest participant_left applied. */
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

  /** event_ts (ms) of the occurrence's meeting.ended, once applied to this join. */
  @Prop({ type: Number, default: null })
  ended_ts!: number | null;

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
// recurring meeting (*inferred*; cheap to be safe). Its (meeting_id, meeting_uuid) prefix also
// serves meeting.ended, which closes every join of one occurrence.
ParticipantSchema.index({ meeting_id: 1, meeting_uuid: 1, participant_key: 1 }, { unique: true });
// GET /participants (default status=joined), currentPeople, isPresent: people in the room now,
// streamed in the order the grouping and the person_key cursor need (no in-memory sort).
ParticipantSchema.index({
  meeting_id: 1,
  meeting_uuid: 1,
  status: 1,
  person_key: 1,
  join_ts: -1,
  participant_key: 1,
});
// GET /participants?status=left|all: every join of an occurrence, in the same order.
ParticipantSchema.index({
  meeting_id: 1,
  meeting_uuid: 1,
  person_key: 1,
  join_ts: -1,
  participant_key: 1,
});
