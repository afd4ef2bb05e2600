import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * Answers accepted so far on one answer link from one client address, shared by every instance
 * (AnswerQuotaService): what ANSWERS_PER_LINK_PER_ADDRESS bounds on a link that takes many
 * answers. `_id` is AnswerQuota.key (a digest: no link token or address is stored).
 */
@Schema({ collection: 'answer_quotas', versionKey: false })
export class AnswerQuotaCounter {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: Number, required: true }) used!: number;
  /** When the link stops taking answers: the count is of no use after that. */
  @Prop({ type: Date, required: true }) expires_at!: Date;
}

export const AnswerQuotaCounterSchema = SchemaFactory.createForClass(AnswerQuotaCounter);

// Counters go once their link is closed (TTL monitor, about once a minute); reads never use it.
AnswerQuotaCounterSchema.index({ expires_at: 1 }, { expireAfterSeconds: 0 });
