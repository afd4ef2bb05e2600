import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * The shared Zoom budget of one account and rate-limit label (docs/architecture.md §20): `_id`
 * is `<account id>:<label>`, so every booking is one write on the unique key. Times are epoch
 * milliseconds as doubles (slots are a fraction of a millisecond apart at some rates), and every
 * field is only ever raised (`$max`), so concurrent writes from any number of instances commute.
 */
@Schema({ collection: 'zoom_budgets', versionKey: false })
export class ZoomBudget {
  @Prop({ type: String, required: true }) _id!: string;
  /** End of the last send slot booked by any instance. */
  @Prop({ type: Number, default: 0 }) booked_until!: number;
  /** No instance sends before this: a 429's Retry-After. */
  @Prop({ type: Number, default: 0 }) paused_until!: number;
  /** The label's daily cap is spent until then (docs/zoom.md §4). */
  @Prop({ type: Number, default: 0 }) daily_until!: number;
  /** Zoom's words and tracking id for that daily 429 (test-zoom and failed deliveries show them). */
  @Prop({ type: String, default: null }) daily_message!: string | null;
  @Prop({ type: String, default: null }) daily_tracking_id!: string | null;
}

export const ZoomBudgetSchema = SchemaFactory.createForClass(ZoomBudget);
