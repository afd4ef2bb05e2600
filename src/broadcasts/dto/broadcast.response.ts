import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  BROADCAST_KINDS,
  BROADCAST_MODES,
  DELIVERY_STATUSES,
  type BroadcastControls,
  type BroadcastKind,
  type BroadcastMode,
  type DeliveryStatus,
} from '../broadcast.types';
import type { BroadcastDocument } from '../schemas/broadcast.schema';
import type { DeliveryDocument } from '../schemas/delivery.schema';
import type { DeliveryCounts } from '../deliveries.repository';

export class DeliveryCountsDto {
  @ApiProperty() total!: number;
  @ApiProperty() pending!: number;
  @ApiProperty() sending!: number;
  @ApiProperty() sent!: number;
  @ApiProperty() failed!: number;
  @ApiProperty() unreachable!: number;
  @ApiProperty({
    description:
      'Posted, no answer came back, and Zoom could not confirm the message arrived; not sent again unless a retry asks (include_unconfirmed)',
  })
  unconfirmed!: number;
}

export class RecipientDto {
  @ApiProperty({ description: 'One per person: Zoom user id, else email, else the join key' })
  recipient_key!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status!: DeliveryStatus;
  @ApiProperty() attempts!: number;
  @ApiProperty({ type: String, nullable: true }) last_error!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Why Team Chat cannot reach this person',
  })
  unreachable_reason!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) sent_at!: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: "End of this recipient's answer window",
  })
  closes_at!: string | null;
}

export class BroadcastResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() meeting_id!: string;
  @ApiProperty({ enum: BROADCAST_KINDS }) kind!: BroadcastKind;
  @ApiProperty({ type: String, nullable: true }) question_id!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: "The question's title; for kind `run`, the question set's title",
  })
  question_title!: string | null;
  @ApiProperty({ type: String, nullable: true }) question_link!: string | null;
  @ApiProperty({ enum: BROADCAST_MODES }) mode!: BroadcastMode;
  @ApiProperty({
    description:
      'Sent as an anonymous question: answers are stored with no link to who gave them (for a link broadcast, only recorded)',
  })
  anonymous!: boolean;
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      "The run of a question set this broadcast belongs to (GET /api/runs/{id}): its one message per person (kind `run`) or one of its questions (a step: kind `question`, `run_index` set, no recipients of its own: its people are the run broadcast's)",
  })
  run_id!: string | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: "A run's question: its position in the run (0-based)",
  })
  run_index!: number | null;
  @ApiProperty({ enum: ['sending', 'completed'] }) status!: 'sending' | 'completed';
  @ApiProperty({ type: String, format: 'date-time' }) opens_at!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) completed_at!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) created_at!: string;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the instructor closed the answer window for everyone (POST .../close)',
  })
  closed_at!: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the right answer was revealed to those who answered (POST .../reveal)',
  })
  revealed_at!: string | null;
  @ApiProperty({ type: DeliveryCountsDto }) counts!: DeliveryCountsDto;
  @ApiPropertyOptional({ type: [RecipientDto], description: 'Present on GET /api/broadcasts/{id}' })
  recipients?: RecipientDto[];
}

/** POST /api/broadcasts/{id}/close and /reveal: the broadcast's controls after the change. */
export class BroadcastControlsResponseDto {
  @ApiProperty() broadcast_id!: string;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the answer window was closed for everyone (the first close counts)',
  })
  closed_at!: string | null;
  @ApiProperty({ description: 'Whether people who answered are shown the right option' })
  revealed!: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revealed_at!: string | null;
}

export function toControlsResponse(
  id: string,
  controls: BroadcastControls,
): BroadcastControlsResponseDto {
  return {
    broadcast_id: id,
    closed_at: iso(controls.closed_at),
    revealed: controls.revealed_at !== null,
    revealed_at: iso(controls.revealed_at),
  };
}

export class BroadcastListResponseDto {
  @ApiProperty({ type: [BroadcastResponseDto] }) items!: BroadcastResponseDto[];
  @ApiProperty() total!: number;
}

export class RetryResponseDto {
  @ApiProperty({ description: 'Recipients queued again' }) requeued!: number;
  @ApiProperty({ type: BroadcastResponseDto }) broadcast!: BroadcastResponseDto;
}

/** One recipient in the original API's answer. */
export class LegacyResultDto {
  @ApiProperty() success!: boolean;
  @ApiProperty({ description: 'Zoom user id, else the recipient key' }) user_id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
  @ApiPropertyOptional({ description: 'Why the message did not go out (or has not yet)' })
  error?: string;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status!: DeliveryStatus;
}

/** POST /api/send-question: the original Flask API's answer, plus the broadcast id. */
export class LegacySendResponseDto {
  @ApiProperty({ description: 'True when every reachable recipient got the message' })
  success!: boolean;
  @ApiProperty() message!: string;
  @ApiProperty() total_participants!: number;
  @ApiProperty() success_count!: number;
  @ApiProperty({ description: 'Failed plus unreachable (guests Team Chat cannot reach)' })
  failed_count!: number;
  @ApiProperty({ type: [LegacyResultDto] }) results!: LegacyResultDto[];
  @ApiProperty() broadcast_id!: string;
  @ApiProperty({ enum: ['sending', 'completed'] }) status!: 'sending' | 'completed';
  @ApiProperty({ type: DeliveryCountsDto }) counts!: DeliveryCountsDto;
}

const iso = (date: Date | null | undefined): string | null => (date ? date.toISOString() : null);

export function toBroadcastResponse(
  broadcast: BroadcastDocument,
  counts: DeliveryCounts,
  deliveries?: DeliveryDocument[],
): BroadcastResponseDto {
  return {
    id: broadcast._id.toHexString(),
    meeting_id: broadcast.meeting_id,
    kind: broadcast.kind,
    question_id: broadcast.question_id ? broadcast.question_id.toHexString() : null,
    question_title:
      broadcast.kind === 'run' ? (broadcast.message ?? null) : (broadcast.question?.title ?? null),
    question_link: broadcast.question_link,
    mode: broadcast.mode,
    anonymous: broadcast.anonymous === true,
    run_id: broadcast.run_id ? broadcast.run_id.toHexString() : null,
    run_index: broadcast.run_index ?? null,
    status: counts.pending + counts.sending > 0 ? 'sending' : 'completed',
    opens_at: broadcast.opens_at.toISOString(),
    completed_at: iso(broadcast.completed_at),
    created_at: broadcast.created_at.toISOString(),
    closed_at: iso(broadcast.closed_at),
    revealed_at: iso(broadcast.revealed_at),
    counts: { ...counts },
    ...(deliveries ? { recipients: deliveries.map(toRecipient) } : {}),
  };
}

export function toRecipient(d: DeliveryDocument): RecipientDto {
  return {
    recipient_key: d.recipient_key,
    name: d.name,
    email: d.email,
    status: d.status,
    attempts: d.attempts,
    last_error: d.last_error,
    unreachable_reason: d.unreachable_reason,
    sent_at: iso(d.sent_at),
    closes_at: iso(d.closes_at),
  };
}

export function toLegacyResponse(
  broadcast: BroadcastDocument,
  counts: DeliveryCounts,
  deliveries: DeliveryDocument[],
): LegacySendResponseDto {
  const done = counts.pending + counts.sending === 0;
  const failed = counts.failed + counts.unreachable;
  return {
    success: done && counts.failed === 0 && counts.unconfirmed === 0 && counts.sent > 0,
    message: done
      ? `Sent to ${counts.sent} of ${counts.total} participants` +
        (failed > 0
          ? ` (${counts.failed} failed, ${counts.unreachable} unreachable by Team Chat)`
          : '') +
        (counts.unconfirmed > 0
          ? `; ${counts.unconfirmed} posted without Zoom confirming they arrived`
          : '')
      : `Still sending: ${counts.sent} of ${counts.total} sent so far; follow GET /api/broadcasts/${broadcast._id.toHexString()}`,
    total_participants: counts.total,
    success_count: counts.sent,
    failed_count: failed,
    results: deliveries.map((d) => ({
      success: d.status === 'sent',
      user_id: d.zoom_user_id ?? d.recipient_key,
      name: d.name,
      email: d.email,
      status: d.status,
      ...(d.status === 'sent'
        ? {}
        : {
            error:
              d.unreachable_reason ??
              d.last_error ??
              (d.status === 'failed' || d.status === 'unconfirmed' ? d.status : 'not sent yet'),
          }),
    })),
    broadcast_id: broadcast._id.toHexString(),
    status: done ? 'completed' : 'sending',
    counts: { ...counts },
  };
}
