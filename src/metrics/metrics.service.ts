import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ZoomRateLabel } from '../zoom/rate-limiter';
import { databaseCommandLabel, statusLabel, zoomRouteLabel } from './metric-labels';

/** What one claim of a delivery came to (the sender's outcomes, src/broadcasts/delivery-worker.service.ts). */
export type DeliveryOutcome = 'sent' | 'failed' | 'unconfirmed' | 'retry' | 'lease-lost';

/** Units of work the database commands are divided by (commands per operation, docs/scaling.md). */
type Operation = 'webhook_event' | 'answer' | 'delivery';

/** Zoom answers in tens to hundreds of milliseconds; a timeout is ZOOM_HTTP_TIMEOUT_MS (10 s). */
const ZOOM_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** A fan-out of a thousand messages at 20/s waits up to 50 s for its last slot. */
const WAIT_BUCKETS = [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
/** Zoom gives a webhook 3 s before it counts as failed (docs/zoom.md §3): 2 and 3 are buckets. */
const WEBHOOK_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5];
const ANSWER_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * The application's metrics, in its own registry (not prom-client's global one: several apps run
 * in one test process, and each must count only its own work). Other modules call the small named
 * methods below at their hook points; every label value is bounded (metric-labels.ts). Served as
 * `GET /metrics` to admins and, with METRICS_PORT, on a plain listener of its own
 * (metrics-listener.ts). The metrics and the alerts worth setting are in docs/scaling.md.
 */
@Injectable()
export class MetricsService {
  private readonly registry = new Registry();

  private readonly zoomRequests = new Counter({
    name: 'zlq_zoom_requests_total',
    help: 'Requests sent to Zoom (each attempt), by rate-limit label, route template and HTTP status (network: no answer)',
    labelNames: ['label', 'route', 'status'] as const,
    registers: [this.registry],
  });
  private readonly zoomSeconds = new Histogram({
    name: 'zlq_zoom_request_seconds',
    help: 'Time from sending a request to Zoom to its answer (or to giving up on it)',
    labelNames: ['label', 'route'] as const,
    buckets: ZOOM_BUCKETS,
    registers: [this.registry],
  });
  private readonly zoomRateLimited = new Counter({
    name: 'zlq_zoom_rate_limited_total',
    help: "Zoom's 429 answers, by label and kind (per_second: paused for Retry-After; daily: the label's daily cap is spent until Zoom's reset)",
    labelNames: ['label', 'kind'] as const,
    registers: [this.registry],
  });
  private readonly budgetWaitSeconds = new Histogram({
    name: 'zlq_zoom_budget_wait_seconds',
    help: "Time a Zoom call waited for a slot in the account's rate budget (ZOOM_RATE_BUDGET)",
    labelNames: ['label'] as const,
    buckets: WAIT_BUCKETS,
    registers: [this.registry],
  });
  private readonly deliveries = new Counter({
    name: 'zlq_deliveries_total',
    help: 'Outcomes of the Team Chat sends this instance made (sent, failed, unconfirmed, retry, lease_lost)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  private readonly webhookAckSeconds = new Histogram({
    name: 'zlq_webhook_ack_seconds',
    help: "Time from receiving a Zoom webhook to sending its answer, by status (Zoom's limit is 3 s)",
    labelNames: ['status'] as const,
    buckets: WEBHOOK_BUCKETS,
    registers: [this.registry],
  });
  private readonly answerSeconds = new Histogram({
    name: 'zlq_answer_seconds',
    help: "Time from receiving a participant's answer post to sending its reply, by status",
    labelNames: ['status'] as const,
    buckets: ANSWER_BUCKETS,
    registers: [this.registry],
  });
  private readonly databaseCommands = new Counter({
    name: 'zlq_db_commands_total',
    help: 'Commands sent to MongoDB, by command name (driver command monitoring)',
    labelNames: ['command'] as const,
    registers: [this.registry],
  });
  private readonly operations = new Counter({
    name: 'zlq_operations_total',
    help: 'Units of work done: webhook events acknowledged, answers stored, messages delivered (divide zlq_db_commands_total by it)',
    labelNames: ['operation'] as const,
    registers: [this.registry],
  });
  private readonly liveStreams = new Gauge({
    name: 'zlq_live_streams',
    help: 'Live result streams (Server-Sent Events) open on this instance',
    registers: [this.registry],
  });
  private databaseAvailable: () => boolean = () => true;

  constructor() {
    // Pre-declared series, so a rate() or an alert sees 0 before the first event, not nothing.
    for (const operation of ['webhook_event', 'answer', 'delivery'] as const)
      this.operations.inc({ operation }, 0);
    for (const outcome of ['sent', 'failed', 'unconfirmed'] as const)
      this.deliveries.inc({ outcome }, 0);
    const registry = this.registry;
    const available = () => this.databaseAvailable();
    new Gauge({
      name: 'zlq_database_up',
      help: 'Whether this instance can reach MongoDB now (1) or not (0: routes answer 503)',
      registers: [registry],
      collect() {
        this.set(available() ? 1 : 0);
      },
    });
    // Node's own: CPU, memory, event-loop lag, garbage collection, handles.
    collectDefaultMetrics({ register: registry });
  }

  /** One request to Zoom answered (or not: status 0) after `seconds`. */
  zoomCall(label: ZoomRateLabel, method: string, path: string, status: number, seconds: number) {
    const route = zoomRouteLabel(method, path);
    this.zoomRequests.inc({ label, route, status: statusLabel(status) });
    this.zoomSeconds.observe({ label, route }, seconds);
  }

  /** Zoom answered 429 under `label`: a per-second pause, or the daily cap. */
  zoomRateLimit(label: ZoomRateLabel, daily: boolean): void {
    this.zoomRateLimited.inc({ label, kind: daily ? 'daily' : 'per_second' });
  }

  /** A Zoom call waited `seconds` for its slot in the rate budget. */
  budgetWait(label: ZoomRateLabel, seconds: number): void {
    this.budgetWaitSeconds.observe({ label }, seconds);
  }

  /** The sender recorded what one claim of a delivery came to. */
  delivery(outcome: DeliveryOutcome): void {
    this.deliveries.inc({ outcome: outcome.replace('-', '_') });
    if (outcome === 'sent') this.operation('delivery');
  }

  /** A Zoom webhook was answered with `status` after `seconds`. */
  webhookAck(seconds: number, status: number): void {
    this.webhookAckSeconds.observe({ status: statusLabel(status) }, seconds);
    if (status >= 200 && status < 300) this.operation('webhook_event');
  }

  /** A participant's answer post was answered with `status` after `seconds`. */
  answer(seconds: number, status: number): void {
    this.answerSeconds.observe({ status: statusLabel(status) }, seconds);
    if (status >= 200 && status < 300) this.operation('answer');
  }

  streamOpened(): void {
    this.liveStreams.inc();
  }

  streamClosed(): void {
    this.liveStreams.dec();
  }

  /** The driver started a command (src/database/database-metrics.ts). */
  databaseCommand(name: string): void {
    this.databaseCommands.inc({ command: databaseCommandLabel(name) });
  }

  /** Where zlq_database_up reads the database's reachability at scrape time. */
  reportDatabaseAvailability(available: () => boolean): void {
    this.databaseAvailable = available;
  }

  /** The text exposition format, and its content type (`text/plain; version=0.0.4`). */
  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  private operation(operation: Operation): void {
    this.operations.inc({ operation });
  }
}
