import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Types } from 'mongoose';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../broadcast.types';

/**
 * One recipient of one broadcast, created before any call to Zoom so that a crash loses nothing.
 * `pending → sending → sent | failed | unconfirmed`, or `unreachable` from the start (guests:
 * docs/zoom.md §2). `unconfirmed`: a post went out, no answer came back, and Zoom's message list
 * could not tell whether it landed; it is not sent again unless the instructor asks
 * (POST /api/broadcasts/{id}/retry with include_unconfirmed), since Team Chat has no
 * idempotency key and a resend may be a second copy.
 */
@Schema({
  collection: 'deliveries',
  timestamps: { createdAt: 'created_at', updatedAt: 'updated_at' },
})
export class Delivery {
  @Prop({ type: Types.ObjectId, required: true }) broadcast_id!: Types.ObjectId;
  /** One per person: Zoom user id, else lower-cased email, else the join key (participants module). */
  @Prop({ required: true }) recipient_key!: string;
  @Prop({ required: true }) name!: string;
  @Prop({ type: String, default: null }) email!: string | null;
  @Prop({ type: String, default: null }) zoom_user_id!: string | null;

  /** Exactly one of the two Team Chat targets (docs/zoom.md §2). */
  @Prop({ type: String, default: null }) to_contact!: string | null;
  @Prop({ type: String, default: null }) to_channel!: string | null;

  @Prop({ type: String, enum: DELIVERY_STATUSES, required: true }) status!: DeliveryStatus;
  @Prop({ default: 0 }) attempts!: number;
  /**
   * When a sender may next claim this record: a retry's backoff, or the end of a claim's lease.
   * One field for both keeps the claim a single indexed range query.
   */
  @Prop({ required: true }) available_at!: Date;
  /** Instance that holds the lease, so a late finisher can tell it was taken over. */
  @Prop({ type: String, default: null }) lease_owner!: string | null;

  /**
   * Set just before a Team Chat post, cleared when its outcome is recorded. A sender that finds it
   * set (an earlier post went out and its outcome is unknown: no answer, a crash, a lease that
   * expired while the database was away) first looks the message up in Zoom's list of sent
   * messages, and posts again only when it is not there.
   */
  @Prop({ type: Date, default: null }) posted_at!: Date | null;

  @Prop({ type: String, default: null }) last_error!: string | null;
  @Prop({ type: String, default: null }) unreachable_reason!: string | null;
  @Prop({ type: String, default: null }) zoom_message_id!: string | null;
  @Prop({ type: Date, default: null }) sent_at!: Date | null;
  /** The sender instance that got Zoom's confirmation (operations: who sent what). */
  @Prop({ type: String, default: null }) sent_by!: string | null;
  /** The answer window of this recipient: from its send, for the question's time limit. */
  @Prop({ type: Date, default: null }) closes_at!: Date | null;

  /** SHA-256 of the answer link token; the token itself is derived, never stored (docs/architecture.md §10). */
  @Prop({ type: String, default: null }) answer_token_hash!: string | null;
  /** Reminders sent after the first message (POST /api/broadcasts/{id}/remind). */
  @Prop({ default: 0 }) reminders!: number;
  /**
   * An anonymous question's recipient has answered (set once, by the answer path, through
   * BroadcastsService.markAnswered). Only *that* they answered: the answer itself names no one,
   * and the write leaves updated_at alone so no time on this record pairs it with the answer's
   * time (docs/architecture.md §6). False on every other broadcast's deliveries, whose answers
   * carry the person's key.
   */
  @Prop({ type: Boolean, default: false }) answered!: boolean;

  created_at!: Date;
  updated_at!: Date;
}

export type DeliveryDocument = HydratedDocument<Delivery>;
export const DeliverySchema = SchemaFactory.createForClass(Delivery);

// One record per person per broadcast: a retried request or a second instance cannot add another.
// Its broadcast_id prefix serves every per-broadcast read and update (state, counts, open work,
// retry, remind, and DeliveryLookup preloading a broadcast's recipients).
DeliverySchema.index({ broadcast_id: 1, recipient_key: 1 }, { unique: true });
// The sender's claim: oldest claimable record among pending/sending (expired leases).
DeliverySchema.index({ status: 1, available_at: 1 });
// GET /q/{token} and POST /q/{token}/answer: DeliveryLookup finds recipients by token hash (`$in`
// over a batch). Unique because every delivery gets its own derived token; it also lets the test
// server use the index (it scans for lookups through non-unique indexes).
DeliverySchema.index({ answer_token_hash: 1 }, { unique: true });
