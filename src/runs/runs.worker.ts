import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { AnswerRecordsService } from '../answers/answer-records.service';
import { BroadcastsService } from '../broadcasts/broadcasts.service';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { DatabaseAvailability } from '../database/database-availability.service';
import { isDatabaseUnavailable } from '../database/database-unavailable';
import {
  ParticipantsService,
  type MeetingStartedEvent,
  type PersonJoinedEvent,
} from '../participants/participants.service';
import { RunArmsService } from './run-arms.service';
import { autoAdvanceTimeUp, everyoneAnswered, STALE_START_MS } from './run-rules';
import type { StoredRun } from './runs.repository';
import { RunsRepository } from './runs.repository';
import { RunsService } from './runs.service';

/** Joins of one meeting within this long are answered by one look for late joiners. */
const JOIN_DEBOUNCE_MS = 300;

/**
 * The runs worker (docs/architecture.md §27), on every instance. Reacts at once to what this
 * instance hears (a meeting started: schedule its armed starts; someone joined: give them their
 * run message), and sweeps every RUNS_SWEEP_INTERVAL_MS for what another instance heard or a
 * crash left: starts cut short, late joiners, due armed starts, auto-advance, self-paced runs
 * past their end, and past questions not closed yet. Every change it makes is a conditional
 * update (RunsService, RunArmsService), so several instances sweeping at once change each thing
 * once.
 */
@Injectable()
export class RunsWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RunsWorker.name);
  private sweeper?: NodeJS.Timeout;
  private stopping = false;
  private sweeping: Promise<void> | null = null;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly joinTimers = new Map<string, NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly onStarted = (event: MeetingStartedEvent) => this.meetingStarted(event);
  private readonly onJoined = (event: PersonJoinedEvent) => this.personJoined(event);

  constructor(
    private readonly config: AppConfig,
    private readonly runs: RunsService,
    private readonly repository: RunsRepository,
    private readonly armsService: RunArmsService,
    private readonly broadcasts: BroadcastsService,
    private readonly participants: ParticipantsService,
    private readonly answers: AnswerRecordsService,
    private readonly database: DatabaseAvailability,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.participants.events.on('started', this.onStarted);
    this.participants.events.on('joined', this.onJoined);
    this.sweeper = setInterval(() => void this.sweep(), this.config.runs.sweepIntervalMs);
    this.sweeper.unref();
    void this.sweep();
  }

  /** Stops taking work and waits for what is under way (its writes are conditional anyway). */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    clearInterval(this.sweeper);
    this.participants.events.off('started', this.onStarted);
    this.participants.events.off('joined', this.onJoined);
    for (const timer of [...this.timers, ...this.joinTimers.values()]) clearTimeout(timer);
    this.timers.clear();
    this.joinTimers.clear();
    await Promise.allSettled([this.sweeping, ...this.inFlight]);
  }

  /** One pass over everything the worker looks after; a pass still running is not doubled. */
  sweep(): Promise<void> {
    if (this.stopping || !this.database.available) return Promise.resolve();
    this.sweeping ??= this.sweepOnce().finally(() => (this.sweeping = null));
    return this.sweeping;
  }

  private async sweepOnce(): Promise<void> {
    await this.step('starts cut short', () => this.finishStaleStarts());
    await this.step('past questions', () => this.closePending());
    await this.step('running runs', () => this.tendRunning());
    await this.step('armed starts', async () => {
      await this.armsService.scheduleStarted();
      await this.armsService.startDue();
    });
  }

  private async step(what: string, work: () => Promise<void>): Promise<void> {
    if (this.stopping) return;
    try {
      await work();
    } catch (error) {
      if (!isDatabaseUnavailable(error)) {
        this.logger.warn(`Runs sweep (${what}) failed: ${(error as Error).message}`);
      }
    }
  }

  private async finishStaleStarts(): Promise<void> {
    const before = this.clock.now().getTime() - STALE_START_MS;
    for (const run of await this.repository.inState('starting')) {
      if (this.stopping) return;
      if (run.created_at.getTime() > before) continue;
      this.logger.warn(`Run ${run._id.toHexString()} was cut short while starting: finishing it`);
      await this.forRun(run, async () => void (await this.runs.finishStart(run)));
    }
  }

  private async closePending(): Promise<void> {
    for (const run of await this.repository.closingPending()) {
      if (this.stopping) return;
      await this.forRun(run, () => this.runs.closeLeftBehind(run));
    }
  }

  /** Late joiners, auto-advance and self-paced ends of every running run. */
  private async tendRunning(): Promise<void> {
    for (const run of await this.repository.inState('running')) {
      if (this.stopping) return;
      await this.forRun(run, async () => {
        // An instructor-paced run whose meeting is over has nobody left to move it on: it ends
        // (and frees its meeting and set for the next lesson's run). A self-paced run keeps to
        // its own deadline: people may finish after the meeting.
        if (
          run.pacing === 'instructor' &&
          (await this.broadcasts.runOccurrenceOver(run.broadcast_id))
        ) {
          await this.runs.endRun(run, 'meeting_ended');
          return;
        }
        await this.broadcasts.addRunRecipients(run.broadcast_id);
        await this.moveOnIfDue(run);
      });
    }
  }

  /** One run's work in a sweep: its failure is logged and leaves the other runs' work alone. */
  private async forRun(run: StoredRun, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      if (isDatabaseUnavailable(error)) throw error;
      this.logger.warn(`Runs sweep: run ${run._id.toHexString()}: ${(error as Error).message}`);
    }
  }

  private async moveOnIfDue(run: StoredRun): Promise<void> {
    const now = this.clock.now();
    if (run.pacing === 'self') {
      if (run.ends_at !== null && run.ends_at <= now) await this.runs.endRun(run, 'deadline');
      return;
    }
    if (run.auto_advance_seconds === null) return;
    if (autoAdvanceTimeUp(run, now) || (await this.allAnswered(run))) {
      await this.runs.advance(run);
    }
  }

  /**
   * Whether every person present now whose run message went out has answered the current
   * question. Anonymous answers name no one; for an anonymous run this is the count of answers
   * against the count of such people.
   */
  private async allAnswered(run: StoredRun): Promise<boolean> {
    const [present, deliveries, answers] = await Promise.all([
      this.participants.presentPersonKeys(run.meeting_id),
      this.broadcasts.listDeliveries(run.broadcast_id),
      this.answers.listForBroadcast(run.steps[run.current_index].broadcast_id),
    ]);
    const reached = new Set(
      deliveries
        .filter((d) => d.status === 'sent' && present.has(d.recipient_key))
        .map((d) => d.recipient_key),
    );
    if (run.anonymous) return reached.size > 0 && answers.length >= reached.size;
    return everyoneAnswered(reached, new Set(answers.map((a) => a.recipient_key ?? '')));
  }

  private meetingStarted(event: MeetingStartedEvent): void {
    if (this.stopping) return;
    this.track(
      this.armsService.schedule(event.meetingId, event.at).then((earliest) => {
        if (earliest === null || this.stopping) return;
        const timer = setTimeout(
          () => {
            this.timers.delete(timer);
            this.track(this.armsService.startDue());
          },
          Math.max(0, earliest.getTime() - this.clock.now().getTime()),
        );
        timer.unref();
        this.timers.add(timer);
      }),
    );
  }

  private personJoined(event: PersonJoinedEvent): void {
    if (this.stopping || this.joinTimers.has(event.meetingId)) return;
    const timer = setTimeout(() => {
      this.joinTimers.delete(event.meetingId);
      this.track(this.addLateJoiners(event.meetingId));
    }, JOIN_DEBOUNCE_MS);
    timer.unref();
    this.joinTimers.set(event.meetingId, timer);
  }

  private async addLateJoiners(meetingId: string): Promise<void> {
    for (const run of await this.repository.runningIn(meetingId)) {
      await this.broadcasts.addRunRecipients(run.broadcast_id);
    }
  }

  /** Work started by an event: awaited at shutdown, its failure logged (the sweep covers it). */
  private track(work: Promise<unknown>): void {
    const tracked = work
      .catch((error: Error) => {
        if (!isDatabaseUnavailable(error)) {
          this.logger.warn(`Runs worker: ${error.message}`);
        }
      })
      .finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }
}
