import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * One Idempotency-Key of one caller on one route. `_id` is a hash of the three, so the unique
 * `_id` index is what makes a concurrent duplicate lose the race. Neither the key nor the
 * caller's credential is stored, only hashes.
 */
@Schema({ collection: 'idempotency_keys', versionKey: false })
export class IdempotencyRecord {
  @Prop({ type: String, required: true }) _id!: string;
  /** `POST /api/questions/:id/send`: for operations, and so one key cannot hop routes. */
  @Prop({ required: true }) route!: string;
  /** SHA-256 of the request (path parameters and body, canonical JSON). */
  @Prop({ required: true }) request_hash!: string;
  @Prop({ type: String, enum: ['in_progress', 'done'], required: true }) state!:
    'in_progress' | 'done';
  /** While in progress: after this, the request that took the key is presumed dead. */
  @Prop({ required: true }) locked_until!: Date;
  @Prop({ type: Number, default: null }) status_code!: number | null;
  /** The first answer's body, as the JSON that was sent. */
  @Prop({ type: String, default: null }) response!: string | null;
  /** The key is forgotten after this (TTL index; also checked on read, TTL deletion is lazy). */
  @Prop({ required: true }) expires_at!: Date;
}

export const IdempotencyRecordSchema = SchemaFactory.createForClass(IdempotencyRecord);
IdempotencyRecordSchema.index({ expires_at: 1 }, { expireAfterSeconds: 0 });
