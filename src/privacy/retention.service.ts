import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { MeetingAccessService } from '../access/meeting-access.service';
import { AnswerRecordsService } from '../answers/answer-records.service';
import { AuditService } from '../audit/audit.service';
import { BroadcastsService } from '../broadcasts/broadcasts.service';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { ParticipantsService } from '../participants/participants.service';
import { RunsService } from '../runs/runs.service';
import { JobLeasesRepository } from './job-leases.repository';

/** What one purge removed, per collection. */
export interface Purged {
  participants: number;
  meeting_occurrences: number;
  broadcasts: number;
  deliveries: number;
  answers: number;
  meeting_hosts: number;
  /** Runs of question sets, with everyone's places in them. */
  runs: number;
}

const LEASE = 'retention';
const DAY_MS = 24 * 60 * 60 * 1000;
/** One purge per hour across all instances: data leaves at most an hour after its time is up. */
const RUN_EVERY_MS = 60 * 60 * 1000;
/** How often each instance looks whether a purge is due (the lease says whether it is). */
const CHECK_EVERY_MS = 5 * 60 * 1000;
/** A run holds the lease this long, renewed after every batch; a crashed run frees it then. */
const LEASE_MS = 10 * 60 * 1000;
/** Broadcasts purged per batch. */
const BATCH = 100;

/**
 * DATA_RETENTION_DAYS (docs/architecture.md §14): purges what the service keeps about the people
 * in meetings older than that many days. Every instance checks every few minutes; a lease
 * document in MongoDB lets one of them run at a time, at most once an hour. Each owning module
 * deletes its own data (purgeBefore / deleteForBroadcasts / deleteBroadcasts); every delete is
 * safe to repeat, so a run cut short is simply finished by the next one.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RetentionService.name);
  private readonly owner = randomUUID();
  private timer: NodeJS.Timeout | null = null;
  private stopping = false;

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly leases: JobLeasesRepository,
    private readonly participants: ParticipantsService,
    private readonly broadcasts: BroadcastsService,
    private readonly answers: AnswerRecordsService,
    private readonly access: MeetingAccessService,
    private readonly audit: AuditService,
    private readonly runs: RunsService,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.privacy.retentionDays === null) return;
    this.timer = setInterval(() => {
      this.runIfDue().catch((error: Error) =>
        this.logger.error(`Retention purge failed: ${error.message}`),
      );
    }, CHECK_EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
  }

  /**
   * Purges if retention is on and no instance has run it within the hour; null when it did not
   * run here (off, not due, or another instance holds the lease).
   */
  async runIfDue(): Promise<Purged | null> {
    const days = this.config.privacy.retentionDays;
    if (days === null || this.stopping) return null;
    const now = this.clock.now();
    if (!(await this.leases.take(LEASE, this.owner, now, this.later(LEASE_MS)))) return null;
    let purged: Purged;
    try {
      purged = await this.purge(new Date(now.getTime() - days * DAY_MS), () =>
        this.leases.extend(LEASE, this.owner, this.later(LEASE_MS)),
      );
    } catch (error) {
      // Free the lease so the next check (here or elsewhere) tries again.
      await this.leases.extend(LEASE, this.owner, this.clock.now()).catch(() => undefined);
      throw error;
    }
    await this.leases.extend(LEASE, this.owner, this.later(RUN_EVERY_MS));
    if (Object.values(purged).some((n) => n > 0)) {
      this.logger.log(`Retention purge removed ${JSON.stringify(purged)}`);
      await this.audit.record({
        action: 'retention.purged',
        outcome: 'succeeded',
        status: null,
        actor: null,
        details: { ...purged, retention_days: days },
      });
    }
    return purged;
  }

  /**
   * Deletes everything older than `cutoff`: meeting occurrences idle since before it with their
   * participant records, what Zoom said about meeting hosts and was not checked since, runs of question sets created before it with everyone's places in them, and broadcasts created before it with their answers and deliveries
   * (answers first, the broadcast last, so a run cut short finds the rest again). `keepLease`
   * renews the caller's lease after each batch; the purge stops when it says the lease is lost.
   */
  async purge(
    cutoff: Date,
    keepLease: () => Promise<boolean> = () => Promise.resolve(true),
  ): Promise<Purged> {
    const purged: Purged = {
      ...(await this.participants.purgeBefore(cutoff)),
      broadcasts: 0,
      deliveries: 0,
      answers: 0,
      meeting_hosts: await this.access.purgeBefore(cutoff),
      runs: await this.runs.purgeBefore(cutoff),
    };
    while (!this.stopping) {
      const ids = await this.broadcasts.idsCreatedBefore(cutoff, BATCH);
      if (ids.length === 0) break;
      purged.answers += await this.answers.deleteForBroadcasts(ids);
      const removed = await this.broadcasts.deleteBroadcasts(ids);
      purged.deliveries += removed.deliveries;
      purged.broadcasts += removed.broadcasts;
      if (!(await keepLease())) {
        this.logger.warn('Retention purge stopped: its lease was taken over');
        break;
      }
    }
    return purged;
  }

  private later(ms: number): Date {
    return new Date(this.clock.now().getTime() + ms);
  }
}
