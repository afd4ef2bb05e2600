import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument } from 'mongoose';
import { ROLES, type Role } from '../../common/auth/actor';

/**
 * One signed-in console session (docs/architecture.md §15). The cookie holds a random secret;
 * only its SHA-256 (`token_hash`) is stored, so a leaked database signs no one in. The key the
 * instructor signed in with is kept only as its SHA-256 (`key_hash`), so every use can check that
 * the key is still valid (not revoked, expired, or its account disabled) without keeping the key.
 */
@Schema({
  collection: 'console_sessions',
  timestamps: { createdAt: 'created_at', updatedAt: false },
})
export class ConsoleSession {
  @Prop({ required: true }) token_hash!: string;
  @Prop({ required: true }) key_hash!: string;
  /** What the actor looked like at sign-in; roles and names are re-read through the key on use. */
  @Prop({ type: String, default: null }) instructor_id!: string | null;
  @Prop({ type: String, enum: ROLES, required: true }) role!: Role;
  @Prop({ required: true }) name!: string;
  @Prop({ required: true }) key_prefix!: string;
  /** Sliding: pushed forward on use, never past `absolute_expires_at`. */
  @Prop({ required: true }) expires_at!: Date;
  @Prop({ required: true }) absolute_expires_at!: Date;
  @Prop({ required: true }) last_seen_at!: Date;
  created_at!: Date;
}

export type ConsoleSessionDocument = HydratedDocument<ConsoleSession>;
export const ConsoleSessionSchema = SchemaFactory.createForClass(ConsoleSession);

// Every console request and /api request with the session cookie finds its session by the hash
// of the cookie's secret; unique, so the test server uses the index too (docs/architecture.md §12).
ConsoleSessionSchema.index({ token_hash: 1 }, { unique: true });
// Removes sessions once they can no longer be used (MongoDB's TTL monitor; the test server does
// not expire, and every read checks expires_at itself).
ConsoleSessionSchema.index({ absolute_expires_at: 1 }, { expireAfterSeconds: 0 });
