import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Schema as MongooseSchema } from 'mongoose';

export const AUDIT_OUTCOMES = ['succeeded', 'denied'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/**
 * One thing someone did (docs/architecture.md §14). Written once, never changed. Holds ids and
 * numbers only: the actor's instructor id, role and key prefix, never their name or email, a key,
 * a token, a request body or a participant's email.
 */
@Schema({ collection: 'audit_entries', versionKey: false })
export class AuditEntry {
  @Prop({ required: true }) at!: Date;
  /** One of AUDIT_ACTIONS (audit-actions.ts). */
  @Prop({ required: true }) action!: string;
  @Prop({ type: String, enum: AUDIT_OUTCOMES, required: true }) outcome!: AuditOutcome;
  /** The HTTP status answered; null for the retention job (no request). */
  @Prop({ type: Number, default: null }) status!: number | null;
  /** The instructor; null for a bootstrap key (API_KEYS) and for the retention job. */
  @Prop({ type: String, default: null }) actor_id!: string | null;
  /** The actor's role at the time; `system` for the retention job. */
  @Prop({ required: true }) actor_role!: string;
  /** The visible prefix of the key used (never the secret part); null for the retention job. */
  @Prop({ type: String, default: null }) key_prefix!: string | null;
  @Prop({ required: true }) target_type!: string;
  @Prop({ type: String, default: null }) target_id!: string | null;
  @Prop({ type: String, default: null }) meeting_id!: string | null;
  /** The request id (X-Request-Id), to join the entry with the request's log lines. */
  @Prop({ type: String, default: null }) request_id!: string | null;
  /** True when an Idempotency-Key replayed an earlier answer: nothing was done again. */
  @Prop({ default: false }) replayed!: boolean;
  /** Numbers only (counts removed, recipients queued). */
  @Prop({ type: MongooseSchema.Types.Mixed, default: null }) details!: Record<
    string,
    number
  > | null;
}

export type AuditEntryDocument = HydratedDocument<AuditEntry>;
export const AuditEntrySchema = SchemaFactory.createForClass(AuditEntry);

// GET /api/audit without filters: newest first, `_id` breaking ties for the cursor.
AuditEntrySchema.index({ at: -1, _id: -1 });
// GET /api/audit?action=, ?actor_id=, ?meeting_id=: the same order within one value.
AuditEntrySchema.index({ action: 1, at: -1, _id: -1 });
AuditEntrySchema.index({ actor_id: 1, at: -1, _id: -1 });
AuditEntrySchema.index({ meeting_id: 1, at: -1, _id: -1 });
