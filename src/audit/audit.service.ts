import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { FilterQuery, Model } from 'mongoose';
import type { Actor } from '../common/auth/actor';
import { Clock } from '../common/clock';
import { decodeTimeCursor, encodeTimeCursor } from '../common/paging/newest-first';
import { AUDIT_ACTIONS, type AuditAction } from './audit-actions';
import { AuditPageDto, toAuditEntryDto } from './dto/audit-entry.response';
import { ListAuditQueryDto } from './dto/list-audit.dto';
import { AuditEntry, type AuditOutcome } from './schemas/audit-entry.schema';

/** What happened, as the interceptor (or the retention job) saw it. */
export interface AuditEvent {
  action: AuditAction;
  outcome: AuditOutcome;
  /** HTTP status answered; null outside a request. */
  status: number | null;
  /** Who did it; null for the service itself (the retention job). */
  actor: Actor | null;
  targetId?: string | null;
  meetingId?: string | null;
  requestId?: string | null;
  replayed?: boolean;
  details?: Record<string, number> | null;
}

const DEFAULT_LIMIT = 50;

/**
 * The audit log (docs/architecture.md §14): who did what, when, with which key prefix, on what.
 * Routes record through the @Audited() decorator; other code may call `record` directly.
 */
@Injectable()
export class AuditService {
  constructor(
    @InjectModel(AuditEntry.name) private readonly entries: Model<AuditEntry>,
    private readonly clock: Clock,
  ) {}

  async record(event: AuditEvent): Promise<void> {
    await this.entries.create({
      at: this.clock.now(),
      action: event.action,
      outcome: event.outcome,
      status: event.status,
      actor_id: event.actor?.instructorId ?? null,
      actor_role: event.actor?.role ?? 'system',
      key_prefix: event.actor?.keyPrefix ?? null,
      target_type: AUDIT_ACTIONS[event.action].target,
      target_id: event.targetId ?? null,
      meeting_id: event.meetingId ?? null,
      request_id: event.requestId ?? null,
      replayed: event.replayed ?? false,
      details: event.details ?? null,
    });
  }

  /** Newest first, by keyset cursor (stable while entries are added). */
  async list(query: ListAuditQueryDto): Promise<AuditPageDto> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    // Every value is validated as a plain string, so none can smuggle in a query operator.
    const filter: FilterQuery<AuditEntry> = {};
    if (query.action !== undefined) filter.action = query.action;
    if (query.actor_id !== undefined) filter.actor_id = query.actor_id;
    if (query.key_prefix !== undefined) filter.key_prefix = query.key_prefix;
    if (query.meeting_id !== undefined) filter.meeting_id = query.meeting_id;
    if (query.since !== undefined || query.until !== undefined) {
      filter.at = {
        ...(query.since !== undefined ? { $gte: new Date(query.since) } : {}),
        ...(query.until !== undefined ? { $lt: new Date(query.until) } : {}),
      };
    }
    if (query.cursor !== undefined) {
      const { at, id } = decodeTimeCursor(query.cursor);
      filter.$and = [{ $or: [{ at: { $lt: at } }, { at, _id: { $lt: id } }] }];
    }
    const found = await this.entries
      .find(filter)
      .sort({ at: -1, _id: -1 })
      .limit(limit + 1)
      .exec();
    const items = found.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map(toAuditEntryDto),
      next_cursor: found.length > limit && last ? encodeTimeCursor(last.at, last._id) : null,
    };
  }
}
