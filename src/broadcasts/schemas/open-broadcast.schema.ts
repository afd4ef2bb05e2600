import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

/**
 * The one open broadcast of a question in a meeting. `_id` is the pair, so the unique `_id` index
 * makes the claim atomic on MongoDB and on the test server alike (a unique partial index on open
 * broadcasts would need partialFilterExpression, which mongo-java-server ignores). A claim whose
 * broadcast has closed is taken over by compare-and-set on `broadcast_id`.
 */
@Schema({ collection: 'open_broadcasts', versionKey: false })
export class OpenBroadcast {
  /** `<meeting id>:<question id>` */
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: Types.ObjectId, required: true }) broadcast_id!: Types.ObjectId;
  @Prop({ required: true }) claimed_at!: Date;
}

export const OpenBroadcastSchema = SchemaFactory.createForClass(OpenBroadcast);
