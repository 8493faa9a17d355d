import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { JobQueue, JobWorker, QueuedJob } from '../../common/queue/job-queue';
import { JobWorkers } from '../../common/queue/job-workers';
import { stopWorker } from '../../common/queue/stop-worker';
import { AppShutdown } from '../../common/lifecycle/shutdown';
import { Scheduler } from '../../common/lifecycle/scheduler';
import { defaultsConfig, DefaultsConfig } from '../../config/namespaces';
import { ModelService } from './model.service';
import { settlesWithin } from '../../common/async/deadline';

export const DEFAULTS_TRAIN_QUEUE = 'defaults-train';
const SCHEDULER_ID = 'defaults-train-daily';

/** Registers the repeatable training job (idempotent: every instance may do it at boot). */
@Injectable()
export class ModelTrainingScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger('DefaultsModel');
  /** Settles once the schedule is registered (or given up on); tests await it. */
  scheduled: Promise<'done' | 'failed' | 'timeout'> = Promise.resolve('timeout');

  constructor(
    @InjectQueue(DEFAULTS_TRAIN_QUEUE) private readonly queue: JobQueue,
    @Inject(defaultsConfig.KEY) private readonly cfg: DefaultsConfig,
  ) {}

  onApplicationBootstrap(): void {
    // Outages are reported by the Redis client; without a listener BullMQ prints each retry.
    this.queue.on('error', (err) => this.logger.debug(`training queue: ${err.message}`));
    // Not awaited: BullMQ queues commands while Redis is unreachable, and boot must not wait.
    this.scheduled = settlesWithin(
      this.queue.upsertJobScheduler(SCHEDULER_ID, { pattern: this.cfg.train.cron, tz: 'UTC' }, { name: 'train' }),
      10_000,
    ).then((settled) => (settled ? 'done' : 'timeout'));
    void this.scheduled.then((r) => {
      if (r !== 'done')
        this.logger.warn('could not schedule model training (Redis unreachable); the next instance to boot will');
    });
  }
}

/** How often a worker process looks for a due training job (it runs daily, so a minute is fine). */
const POLL_MS = 60_000;

/**
 * Consumes the training queue in worker processes (see workerProviders). Jobs are fetched
 * manually (no blocking main loop): a BullMQ worker blocked in BZPOPMIN whose Redis went away
 * and came back could otherwise keep the process from shutting down.
 */
@Injectable()
export class ModelTrainingWorker implements OnModuleInit {
  private readonly logger = new Logger('DefaultsModel');
  private worker?: JobWorker;
  private running?: Promise<void>;

  constructor(
    private readonly models: ModelService,
    private readonly workers: JobWorkers,
    private readonly scheduler: Scheduler,
    shutdown: AppShutdown,
  ) {
    shutdown.onStop('workers', 'model training worker', () => this.stop());
  }

  onModuleInit(): void {
    this.worker = this.workers.create(DEFAULTS_TRAIN_QUEUE, null, { autorun: false });
    this.worker.on('error', (err) => this.logger.debug(`training worker: ${err.message}`));
    this.scheduler.every('defaults-model-training-poll', POLL_MS, () => this.poll());
  }

  /** Takes one due job, if any, and runs it. Public so tests can trigger it. */
  poll(): Promise<void> {
    this.running ??= this.runOne().finally(() => (this.running = undefined));
    return this.running;
  }

  private async runOne(): Promise<void> {
    const w = this.worker;
    if (!w) return;
    const token = randomUUID();
    let job: QueuedJob | undefined;
    try {
      job = await w.getNextJob(token, { block: false });
    } catch (err) {
      this.logger.debug(`training poll skipped: ${(err as Error).message}`);
      return;
    }
    if (!job) return;
    try {
      const result = await this.models.train();
      await job.moveToCompleted(result, token, false);
    } catch (err) {
      this.logger.warn(`model training failed: ${(err as Error).message}`);
      await job.moveToFailed(err as Error, token, false).catch(() => undefined);
    }
  }

  private async stop(): Promise<void> {
    if (!this.worker) return;
    await stopWorker(this.worker, { inFlight: this.running ? [this.running] : [], drainMs: 3000 });
  }
}
