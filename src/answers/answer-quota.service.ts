import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { GroupCommit } from '../database/group-commit';
import { AnswerQuota } from './answer-quota';
import { AnswerQuotaRepository, type QuotaReservation } from './answer-quota.repository';

/** (link, client address) pairs whose answer count is remembered per instance. */
const QUOTA_MAX_KEYS = 100_000;
/** Reservations per bulk write of the shared counters. */
const MAX_BATCH = 500;

/** A reservation refused: the key's quota is spent. */
class QuotaSpent extends Error {}

/**
 * ANSWERS_PER_LINK_PER_ADDRESS across instances (docs/architecture.md §11). This instance's
 * count (AnswerQuota, in memory) refuses at once and for free; on a link that takes many answers
 * (a channel's shared link, where anyone can type any name) the count shared through MongoDB
 * (answer_quotas) decides, so N instances behind a balancer still accept the quota once, not N
 * times. The shared reservations go to the database together (GroupCommit: one command for what
 * arrived meanwhile), and links that take one answer (a personal link, an anonymous one: the
 * unique index or the delivery's flag refuses a second) cost no command at all.
 */
@Injectable()
export class AnswerQuotaService {
  private readonly logger = new Logger(AnswerQuotaService.name);
  private readonly local: AnswerQuota;
  private readonly shared: GroupCommit<QuotaReservation>;

  constructor(
    private readonly config: AppConfig,
    private readonly counters: AnswerQuotaRepository,
  ) {
    this.local = new AnswerQuota({
      perKey: config.answers.perLinkPerAddress,
      maxKeys: QUOTA_MAX_KEYS,
    });
    this.shared = new GroupCommit<QuotaReservation>(async (items) => {
      const outcomes = await this.counters.reserveMany(items, this.limit);
      return outcomes.map((outcome) =>
        outcome === true ? null : outcome === false ? new QuotaSpent() : outcome,
      );
    }, MAX_BATCH);
  }

  get limit(): number {
    return this.config.answers.perLinkPerAddress;
  }

  /**
   * Takes one answer from the key's quota; false when it is spent. `shared`: the link takes many
   * answers, so the count across instances decides too.
   */
  async reserve(key: string, expiresAt: Date, now: number, shared: boolean): Promise<boolean> {
    if (!this.local.reserve(key, expiresAt, now)) return false;
    if (!shared) return true;
    try {
      await this.shared.submit({ key, expiresAt });
      return true;
    } catch (error) {
      if (error instanceof QuotaSpent) {
        // Spent by answers through other instances: refused here without a command from now on.
        this.local.spend(key);
        return false;
      }
      this.local.release(key);
      throw error;
    }
  }

  /** Gives back a reservation whose answer was not stored (already answered, an error). */
  release(key: string, shared: boolean): void {
    this.local.release(key);
    if (!shared) return;
    // A refusal's path, not an accepted answer's: one command. Failing it only costs the person
    // one answer of their quota until the link closes.
    this.counters.release(key).catch((error: Error) => {
      this.logger.warn(`An answer quota reservation was not given back: ${error.message}`);
    });
  }
}
