import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Types } from 'mongoose';

/**
 * An instructor's API key. Only the SHA-256 of the whole key is kept: the key has 256 random
 * bits, so a plain hash (no salt, no slow KDF) cannot be reversed, and it allows the lookup by an
 * exact unique key on every request. A leaked database lets no one call the API.
 */
@Schema({ collection: 'api_keys', timestamps: { createdAt: 'created_at', updatedAt: false } })
export class ApiKey {
  /** SHA-256 (hex) of the whole key `zlq_<prefix>_<secret>`. */
  @Prop({ required: true })
  key_hash!: string;

  /** The key's 8 visible characters after `zlq_`, to tell keys apart in lists and logs. */
  @Prop({ required: true })
  prefix!: string;

  @Prop({ type: Types.ObjectId, required: true })
  instructor_id!: Types.ObjectId;

  /** Written at most once a minute per key (ApiKeysService), never on every request. */
  @Prop({ type: Date, default: null })
  last_used_at!: Date | null;

  @Prop({ type: Date, default: null })
  expires_at!: Date | null;

  @Prop({ type: Date, default: null })
  revoked_at!: Date | null;

  created_at!: Date;
}

export type ApiKeyDocument = HydratedDocument<ApiKey>;
export const ApiKeySchema = SchemaFactory.createForClass(ApiKey);

// Every authenticated request: the presented key's hash, an exact unique-key lookup.
ApiKeySchema.index({ key_hash: 1 }, { unique: true });
// GET /api/instructors/{id}/api-keys: one instructor's keys, newest first.
ApiKeySchema.index({ instructor_id: 1, created_at: -1 });
