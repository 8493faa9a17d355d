import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { Gauge } from 'prom-client';
import { EntityManager } from 'typeorm';
import { rejectAfter } from '../../common/async/deadline';
import { AppShutdown } from '../../common/lifecycle/shutdown';
import { Scheduler } from '../../common/lifecycle/scheduler';
import type { JobQueue } from '../../common/queue/job-queue';
import { redisConfig, RedisConfig, webhooksConfig, WebhooksConfig } from '../../config/namespaces';
import { OutboxService } from './outbox.service';
import { PING_EVENT, subscribes, WEBHOOK_QUEUE } from './webhook-events';
import { WEBHOOK_OUTBOX_LAG, WEBHOOK_QUEUE_DEPTH } from './webhooks.metrics';
import { WebhooksRepository } from './webhooks.repository';

const KICK_DELAY_MS = 20;
const PURGE_EVERY_MS = 3600_000;

export interface DeliveryJob {
  deliveryId: string;
  /** The delivery's attempt count when enqueued; a job whose count is stale is a duplicate. */
  attempts: number;
  /** Request that caused the event: the attempt logs under it and sends it as X-Request-Id. */
  requestId?: string | null;
}

/**
 * Polls Postgres and feeds the queue, in two steps, each its own transaction:
 *  1. outbox rows -> one delivery row per subscribed endpoint (rows locked FOR UPDATE SKIP
 *     LOCKED, so several relays share the work), outbox rows marked relayed;
 *  2. deliveries whose next attempt is not queued yet (new ones and retries) -> BullMQ jobs
 *     delayed until their next_attempt_at, marked enqueued in the same transaction.
 * If Redis is down, step 2 fails and rolls back; the rows stay and the next pass retries, so
 * nothing is lost. Runs in worker processes only (see workerProviders).
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap {
  private readonly logger = new Logger('WebhookRelay');
  private running?: Promise<void>;
  private again = false;
  private degraded = false;
  private sampledAt = 0;
  private purgedAt = 0;
  private kickTimer?: NodeJS.Timeout;
  private unsubscribe?: () => void;

  constructor(
    private readonly repo: WebhooksRepository,
    private readonly outbox: OutboxService,
    @InjectQueue(WEBHOOK_QUEUE) private readonly queue: JobQueue<DeliveryJob>,
    @Inject(webhooksConfig.KEY) private readonly cfg: WebhooksConfig,
    @Inject(redisConfig.KEY) private readonly redis: RedisConfig,
    @InjectMetric(WEBHOOK_QUEUE_DEPTH) private readonly depth: Gauge<string>,
    @InjectMetric(WEBHOOK_OUTBOX_LAG) private readonly lag: Gauge<string>,
    private readonly scheduler: Scheduler,
    shutdown: AppShutdown,
  ) {
    shutdown.onStop('workers', 'webhook outbox relay', () => this.stop());
  }

  onApplicationBootstrap(): void {
    // Connection errors are expected during an outage; the failed pass is what gets logged.
    this.queue.on('error', () => undefined);
    this.scheduler.every('webhook-outbox-relay', this.cfg.relayIntervalMs, () => this.runPass());
    this.unsubscribe = this.outbox.onWritten(() => this.kick());
  }

  /** Its interval has been stopped by then (the Scheduler stops before workers and relays). */
  private async stop(): Promise<void> {
    clearTimeout(this.kickTimer);
    this.unsubscribe?.();
    await this.running;
  }

  /**
   * Asks for a pass soon. Kicks within KICK_DELAY_MS are coalesced into one pass (which moves up
   * to a batch of rows), so a burst of writes does not turn into a pass per write; a pass never
   * runs twice at once in one process.
   */
  kick(): void {
    if (this.kickTimer) return;
    this.kickTimer = setTimeout(() => {
      this.kickTimer = undefined;
      this.runPass();
    }, KICK_DELAY_MS);
  }

  private runPass(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.pass().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.runPass();
      }
    });
  }

  async pass(): Promise<void> {
    try {
      await this.repo.transaction((m) => this.fanOut(m));
      await this.repo.transaction((m) => this.enqueueDue(m));
      // Kicks after every write can make passes back-to-back; the gauges need no more than one sample per interval.
      if (Date.now() - this.sampledAt >= this.cfg.relayIntervalMs) await this.sample();
      if (Date.now() - this.purgedAt >= PURGE_EVERY_MS) await this.purge();
      if (this.degraded) this.logger.log('webhook relay is moving events again');
      this.degraded = false;
    } catch (err) {
      if (!this.degraded) this.logger.warn(`webhook relay pass failed, will retry: ${(err as Error).message}`);
      this.degraded = true;
    }
  }

  private async fanOut(m: EntityManager): Promise<void> {
    const events = await this.repo.lockUnrelayed(m, this.cfg.relayBatchSize);
    if (!events.length) return;
    const endpoints = await this.repo.enabledEndpoints(m);
    const firstDelay = this.cfg.retryScheduleSeconds[0] ?? 0;
    const rows = [];
    for (const e of events) {
      const body = JSON.stringify({ type: e.eventType, timestamp: e.createdAt.toISOString(), data: e.data });
      const targets = e.targetEndpointId
        ? [e.targetEndpointId]
        : endpoints.filter((ep) => e.eventType !== PING_EVENT && subscribes(ep.events, e.eventType)).map((ep) => ep.id);
      for (const endpointId of targets)
        rows.push({ endpointId, eventId: e.id, eventType: e.eventType, body, requestId: e.requestId });
    }
    await this.repo.insertDeliveries(m, rows, firstDelay);
    await this.repo.markRelayed(
      m,
      events.map((e) => e.id),
    );
  }

  private async enqueueDue(m: EntityManager): Promise<void> {
    await this.repo.requeueStale(m, (2 * this.cfg.timeoutMs) / 1000 + 30);
    const due = await this.repo.lockUnenqueued(m, this.cfg.relayBatchSize);
    if (!due.length) return;
    const now = Date.now();
    await this.bounded(
      this.queue.addBulk(
        due.map((d) => ({
          name: 'deliver',
          data: { deliveryId: d.id, attempts: d.attempts, requestId: d.requestId },
          opts: {
            jobId: `${d.id}-${d.attempts}`,
            delay: Math.max(0, new Date(d.nextAttemptAt).getTime() - now),
            removeOnComplete: true,
            removeOnFail: 1000,
          },
        })),
      ),
    );
    await this.repo.markEnqueued(
      m,
      due.map((d) => d.id),
    );
  }

  /**
   * BullMQ's connection queues commands while Redis is away instead of failing them; without a
   * bound a pass (and its open transaction) would wait for Redis indefinitely. A command that
   * times out may still run once Redis is back: a duplicate job, which the processor drops.
   */
  private bounded<T>(p: Promise<T>): Promise<T> {
    const ms = this.redis.commandTimeoutMs;
    return rejectAfter(p, ms, () => new Error(`Redis did not answer within ${ms} ms`));
  }

  /** Retention (WEBHOOK_RETENTION_DAYS); also called by tests. */
  async purge(): Promise<number> {
    this.purgedAt = Date.now();
    return this.repo.purgeOlderThan(this.cfg.retentionDays);
  }

  private async sample(): Promise<void> {
    this.sampledAt = Date.now();
    this.lag.set(await this.repo.outboxLagSeconds());
    const counts = await this.bounded(this.queue.getJobCounts('waiting', 'delayed', 'active'));
    for (const [state, n] of Object.entries(counts)) this.depth.set({ state }, n);
  }
}
