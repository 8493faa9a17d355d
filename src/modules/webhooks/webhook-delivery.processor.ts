import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { Counter, Histogram } from 'prom-client';
import { AuditService } from '../../common/audit/audit.service';
import { AppShutdown } from '../../common/lifecycle/shutdown';
import { runWithRequestId } from '../../common/logging/request-context';
import type { JobWorker, QueuedJob } from '../../common/queue/job-queue';
import { JobWorkers } from '../../common/queue/job-workers';
import { InFlight, stopWorker } from '../../common/queue/stop-worker';
import { webhooksConfig, WebhooksConfig } from '../../config/namespaces';
import { WebhookDeliveryEntity } from './entities/webhook-delivery.entity';
import { WebhookEndpointEntity } from './entities/webhook-endpoint.entity';
import { DeliveryJob } from './outbox-relay';
import { OutboxService } from './outbox.service';
import { WEBHOOK_QUEUE } from './webhook-events';
import { WEBHOOK_ATTEMPT_DURATION, WEBHOOK_DELIVERIES_TOTAL } from './webhooks.metrics';
import { AttemptResult, WebhookSender } from './webhook-sender';
import { WebhooksRepository } from './webhooks.repository';

/**
 * One job = one attempt. Afterwards the delivery row says what is next: done, failed, or a
 * retry at next_attempt_at with enqueued_at cleared, which the relay puts back on the queue
 * (delayed). Retry state lives in Postgres, so a Redis loss never loses a retry.
 */
@Injectable()
export class WebhookDeliveryProcessor implements OnModuleInit {
  private readonly logger = new Logger('WebhookDelivery');
  private readonly inFlight = new InFlight();
  private worker?: JobWorker<DeliveryJob>;

  constructor(
    private readonly repo: WebhooksRepository,
    private readonly sender: WebhookSender,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    @Inject(webhooksConfig.KEY) private readonly cfg: WebhooksConfig,
    @InjectMetric(WEBHOOK_DELIVERIES_TOTAL) private readonly deliveries: Counter<string>,
    @InjectMetric(WEBHOOK_ATTEMPT_DURATION) private readonly duration: Histogram<string>,
    private readonly workers: JobWorkers,
    shutdown: AppShutdown,
  ) {
    // Attempts in flight finish (bounded by the HTTP timeout) so their outcome is recorded.
    shutdown.onStop(
      'workers',
      'webhook delivery worker',
      () => this.worker && stopWorker(this.worker, { inFlight: this.inFlight, drainMs: this.cfg.timeoutMs + 1000 }),
    );
  }

  onModuleInit(): void {
    // Built here rather than with @Processor so its options come from validated config. A job
    // whose worker died (SIGKILL, OOM) runs again once its lock expires: with BullMQ's fixed 30 s
    // lock that took 30-60 s (test/chaos/worker-kill-webhook).
    this.worker = this.workers.create<DeliveryJob>(WEBHOOK_QUEUE, (job) => this.process(job), {
      concurrency: this.cfg.concurrency,
      lockDuration: this.cfg.stalledIntervalMs,
      stalledInterval: this.cfg.stalledIntervalMs,
    });
    // Without a listener BullMQ prints every reconnect failure; the relay already reports outages.
    this.worker.on('error', (err) => this.logger.debug(`webhook worker: ${err.message}`));
  }

  process(job: QueuedJob<DeliveryJob>): Promise<void> {
    return this.inFlight.track(
      runWithRequestId(job.data.requestId, { deliveryId: job.data.deliveryId }, () => this.attempt(job)),
    );
  }

  private async attempt(job: QueuedJob<DeliveryJob>): Promise<void> {
    const delivery = await this.repo.findDelivery(job.data.deliveryId);
    // Gone, finished, or already attempted since this job was queued: a duplicate, drop it.
    if (!delivery || delivery.status !== 'pending' || delivery.attempts !== job.data.attempts) return;
    const endpoint = await this.repo.findEndpoint(delivery.endpointId);
    if (!endpoint?.enabled) {
      await this.repo.updateDelivery(delivery.id, {
        status: 'failed',
        completedAt: new Date(),
        lastError: 'endpoint disabled',
      });
      return;
    }
    const result = await this.sender.send(endpoint, `msg_${delivery.id}`, delivery.body, delivery.requestId);
    await this.record(delivery, endpoint, result);
  }

  private async record(d: WebhookDeliveryEntity, ep: WebhookEndpointEntity, r: AttemptResult): Promise<void> {
    const now = new Date();
    const attemptNo = d.attempts + 1;
    const nextIndex = d.scheduleIndex + 1;
    const exhausted = nextIndex >= this.cfg.retryScheduleSeconds.length;
    const outcome = r.success ? 'succeeded' : exhausted ? 'failed' : 'retrying';
    let disable = false;
    await this.repo.transaction(async (m) => {
      await this.repo.recordAttempt({ deliveryId: d.id, attemptNo, ...r }, m);
      const base = { attempts: attemptNo, lastStatusCode: r.statusCode, lastError: r.error };
      if (r.success) {
        await this.repo.updateDelivery(d.id, { ...base, status: 'succeeded', completedAt: now }, m);
        if (ep.failingSince) await this.repo.updateEndpoint(ep.id, { failingSince: null }, m);
        return;
      }
      await this.repo.updateDelivery(
        d.id,
        exhausted
          ? { ...base, status: 'failed', completedAt: now }
          : {
              ...base,
              scheduleIndex: nextIndex,
              enqueuedAt: null,
              nextAttemptAt: new Date(now.getTime() + this.cfg.retryScheduleSeconds[nextIndex] * 1000),
            },
        m,
      );
      const since = ep.failingSince ?? now;
      disable = now.getTime() - since.getTime() >= this.cfg.disableAfterHours * 3600_000;
      await this.repo.updateEndpoint(
        ep.id,
        disable
          ? { failingSince: since, enabled: false, disabledReason: `failing since ${since.toISOString()}` }
          : { failingSince: since },
        m,
      );
    });
    this.deliveries.inc({ endpoint: ep.id, outcome });
    const line = `webhook ${d.eventType} to endpoint ${ep.id} attempt ${attemptNo}: ${outcome} (${r.error ?? r.statusCode}, ${r.latencyMs} ms)`;
    if (r.success) this.logger.log(line);
    else this.logger.warn(line);
    this.duration.observe({ outcome: r.success ? 'success' : 'failure' }, r.latencyMs / 1000);
    if (disable) {
      this.logger.warn(`webhook endpoint ${ep.id} disabled after failing for ${this.cfg.disableAfterHours} h`);
      await this.audit.record({
        action: 'webhook.endpoint-auto-disabled',
        entityType: 'webhook_endpoint',
        entityId: ep.id,
        oldValues: { enabled: true },
        newValues: { enabled: false, failingSince: ep.failingSince?.toISOString() ?? now.toISOString() },
      });
    }
    if (!r.success && !exhausted) this.outbox.notify();
  }
}
