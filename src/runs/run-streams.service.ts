import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Model, Types } from 'mongoose';
import { privatePageHeaders } from '../common/http/private-page-headers';
import type { RunChangedEvent, RunRecord } from './run.types';
import { RunsService } from './runs.service';
import { Run } from './schemas/run.schema';

/**
 * How often the runs with a stream open on this instance are read (one `$in` query for all of
 * them): a run moved on by another instance reaches this instance's pages within this (plus the
 * query). This instance's own transitions (RunsService.events 'changed') are read at once.
 */
export const RUN_POLL_MS = 500;
/** A comment line keeps proxies from closing an idle stream. */
export const RUN_HEARTBEAT_MS = 15_000;
/** A client that stops reading is dropped rather than buffered for without limit. */
const MAX_BUFFERED_BYTES = 64 * 1024;

/** The run-wide `state` event (the same for every person): RunStreamStateDto. */
export interface RunStreamState {
  run_state: RunRecord['state'];
  version: number;
  /** Instructor pacing: the current question's position (self pacing: 0). */
  current_index: number;
  /** Instructor pacing: when the current question's time is up. */
  deadline: string | null;
  /** Self pacing: when the run ends by itself. */
  ends_at: string | null;
}

type Listener = (state: RunStreamState) => void;

interface Watched {
  id: Types.ObjectId;
  version: number;
  listeners: Set<Listener>;
}

const FIELDS = { state: 1, version: 1, current_index: 1, current_deadline: 1, ends_at: 1 } as const;
type VersionRow = Pick<
  RunRecord,
  '_id' | 'state' | 'version' | 'current_index' | 'current_deadline' | 'ends_at'
>;

/**
 * GET /r/{token}/events: the run page's push (docs/architecture.md §28). Every stream of a run on
 * this instance shares one watch of it; every watched run is read by one poll per instance (one
 * `$in` on `_id` every RUN_POLL_MS, never one per stream), and at once after a transition made
 * here. A stream gets a `state` event on connect and whenever the run's version changes, and a
 * heartbeat comment.
 */
@Injectable()
export class RunStreamsService implements OnModuleInit, OnModuleDestroy {
  private readonly watched = new Map<string, Watched>();
  private readonly open = new Set<() => void>();
  private timer: NodeJS.Timeout | null = null;
  private reading = false;

  constructor(
    @InjectModel(Run.name) private readonly runModel: Model<Run>,
    private readonly runs: RunsService,
  ) {}

  private readonly onChanged = (event: RunChangedEvent): void => {
    const watch = this.watched.get(event.runId);
    if (watch && event.version !== watch.version) void this.read([watch.id]);
  };

  onModuleInit(): void {
    this.runs.events.on('changed', this.onChanged);
  }

  onModuleDestroy(): void {
    this.runs.events.off('changed', this.onChanged);
    for (const close of [...this.open]) close();
    this.stopTimer();
  }

  /** How many runs this instance watches (for tests and metrics). */
  get watchedRuns(): number {
    return this.watched.size;
  }

  /**
   * Follows a run: `listener` hears its state whenever its version moves past `version`.
   * Answers the function that stops following.
   */
  watch(run: Pick<RunRecord, '_id' | 'version'>, listener: Listener): () => void {
    const hex = run._id.toHexString();
    let watch = this.watched.get(hex);
    if (!watch) {
      watch = { id: run._id, version: run.version, listeners: new Set() };
      this.watched.set(hex, watch);
    }
    watch.listeners.add(listener);
    this.startTimer();
    return () => {
      const current = this.watched.get(hex);
      if (!current) return;
      current.listeners.delete(listener);
      if (current.listeners.size === 0) this.watched.delete(hex);
      if (this.watched.size === 0) this.stopTimer();
    };
  }

  /** Writes the stream to the raw response (Fastify hijacked) until the client goes. */
  stream(run: RunRecord, request: FastifyRequest, reply: FastifyReply): void {
    let closed = false;
    const raw = reply.raw;
    reply.hijack();
    raw.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      ...privatePageHeaders(),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-request-id': String(request.id),
    });
    const send = (chunk: string): void => {
      if (closed) return;
      raw.write(chunk);
      if (raw.writableLength > MAX_BUFFERED_BYTES) close();
    };
    const stateEvent = (state: RunStreamState): void =>
      send(`event: state\nid: ${state.version}\ndata: ${JSON.stringify(state)}\n\n`);
    const stop = this.watch(run, stateEvent);
    const heartbeat = setInterval(() => send(': heartbeat\n\n'), RUN_HEARTBEAT_MS);
    const close = (): void => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      stop();
      this.open.delete(close);
      raw.end();
    };
    this.open.add(close);
    request.raw.on('close', close);
    raw.on('close', close);
    raw.on('error', close);
    send('retry: 2000\n\n');
    // The state as the page's read saw it: a page rendered at an older version reloads.
    stateEvent(streamState(run));
  }

  private startTimer(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.reading || this.watched.size === 0) return;
      void this.read([...this.watched.values()].map((w) => w.id));
    }, RUN_POLL_MS);
    this.timer.unref();
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async read(ids: Types.ObjectId[]): Promise<void> {
    this.reading = true;
    try {
      const rows = await this.runModel
        .find({ _id: { $in: ids } }, FIELDS)
        .lean<VersionRow[]>()
        .exec();
      for (const row of rows) {
        const watch = this.watched.get(row._id.toHexString());
        if (!watch || row.version === watch.version) continue;
        watch.version = row.version;
        const state = streamState(row);
        for (const listener of [...watch.listeners]) listener(state);
      }
    } catch {
      // The next tick reads again; pages fall back to their own timers meanwhile.
    } finally {
      this.reading = false;
    }
  }
}

export function streamState(run: Omit<VersionRow, '_id'>): RunStreamState {
  return {
    run_state: run.state,
    version: run.version,
    current_index: run.current_index,
    deadline: run.current_deadline ? run.current_deadline.toISOString() : null,
    ends_at: run.ends_at ? run.ends_at.toISOString() : null,
  };
}
