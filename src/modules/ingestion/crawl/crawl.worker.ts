import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { Counter, Gauge } from 'prom-client';
import type { IngestionJobEnded } from '../../../common/events/domain-events';
import { AppShutdown } from '../../../common/lifecycle/shutdown';
import { Scheduler } from '../../../common/lifecycle/scheduler';
import { runWithRequestId } from '../../../common/logging/request-context';
import { DeferJobError, JobWorker, QueuedJob } from '../../../common/queue/job-queue';
import { JobWorkers } from '../../../common/queue/job-workers';
import { InFlight, stopWorker } from '../../../common/queue/stop-worker';
import { inJobSpan } from '../../../common/tracing/job-trace';
import { ingestionConfig, IngestionConfig } from '../../../config/namespaces';
import { ACTIVE_JOBS, JOBS_FINISHED } from '../ingestion.metrics';
import { IngestionJobsRepository } from '../jobs.repository';
import { INGESTION_QUEUE, CrawlJobData } from '../ingestion.constants';
import { JobEndings } from '../job-endings';
import { CrawlRunner } from './crawl-runner';

/**
 * The crawl consumer, registered through workerProviders() so API-only processes never consume.
 * Built by hand rather than with @Processor because lock duration, stalled interval and
 * concurrency come from validated config at boot (decorator options are fixed at import time).
 * A worker that dies loses its lock; after INGESTION_STALLED_INTERVAL_MS another worker picks
 * the job up again and the runner resumes from the frontier stored in `pages`.
 */
@Injectable()
export class CrawlWorker implements OnModuleInit {
  private readonly logger = new Logger(CrawlWorker.name);
  private worker?: JobWorker<CrawlJobData>;
  private readonly running = new Set<AbortController>();
  private readonly inFlight = new InFlight();
  /** Crawls running in this process per user (INGESTION_USER_CONCURRENCY). */
  private readonly perUser = new Map<string, number>();
  private shuttingDown = false;
  /** Makes each run's cancellation poll name unique. */
  private polls = 0;

  constructor(
    @Inject(ingestionConfig.KEY) private readonly cfg: IngestionConfig,
    private readonly workers: JobWorkers,
    private readonly runner: CrawlRunner,
    private readonly jobs: IngestionJobsRepository,
    private readonly endings: JobEndings,
    @InjectMetric(ACTIVE_JOBS) private readonly active: Gauge<string>,
    @InjectMetric(JOBS_FINISHED) private readonly finished: Counter<string>,
    private readonly scheduler: Scheduler,
    shutdown: AppShutdown,
  ) {
    shutdown.onStop('workers', 'crawl worker', () => this.stop());
  }

  onModuleInit(): void {
    this.worker = this.workers.create<CrawlJobData>(INGESTION_QUEUE, (job) => this.inFlight.track(this.process(job)), {
      concurrency: this.cfg.workerConcurrency,
      lockDuration: this.cfg.stalledIntervalMs,
      stalledInterval: this.cfg.stalledIntervalMs,
      maxStalledCount: Math.max(1, this.cfg.jobAttempts - 1),
    });
    // Out of attempts (thrown errors or too many stalls): the row must not stay "running".
    this.worker.on('failed', (job, err) => {
      if (!job || (job.attemptsMade < (job.opts.attempts ?? 1) && !/stalled/i.test(err.message))) return;
      void runWithRequestId(job.data.requestId, { jobId: job.data.jobId }, () =>
        this.end(job.data.jobId, 'failed', `worker: ${err.message}`),
      );
    });
    this.worker.on('error', (err) => this.logger.error(`crawl worker: ${err.message}`));
  }

  /** Shutdown: running crawls are aborted (they resume from the frontier on another attempt). */
  private async stop(): Promise<void> {
    if (!this.worker) return;
    this.shuttingDown = true;
    for (const a of this.running) a.abort();
    await stopWorker(this.worker, { inFlight: this.inFlight, drainMs: 5000, gracefulCloseMs: 5000 });
  }

  /**
   * The job runs under the id of the request that queued it (every log line carries it, and
   * the ingestion.* webhook it ends with is sent with it) and, with tracing on, in a span of
   * that request's trace.
   */
  private process(job: QueuedJob<CrawlJobData>): Promise<void> {
    const { jobId, requestId, trace } = job.data;
    const attributes = { 'nexcore.job_id': jobId, 'nexcore.attempt': job.attemptsMade + 1 };
    return runWithRequestId(requestId, { jobId }, () =>
      inJobSpan('ingestion.crawl', trace, attributes, () => this.crawl(job)),
    );
  }

  /**
   * Fairness between users: a user already running INGESTION_USER_CONCURRENCY crawls here gets
   * this job deferred (back to the queue, no attempt used), so the slot goes to someone else's
   * job instead of one user's slow sites holding every slot.
   */
  private async crawl(job: QueuedJob<CrawlJobData>): Promise<void> {
    const { jobId } = job.data;
    const userId = job.data.userId ?? (await this.jobs.find(jobId))?.userId;
    if (userId && (this.perUser.get(userId) ?? 0) >= this.cfg.userConcurrency) {
      throw new DeferJobError(USER_DEFER_MS, `user ${userId} already runs ${this.cfg.userConcurrency} crawl(s)`);
    }
    if (userId) this.perUser.set(userId, (this.perUser.get(userId) ?? 0) + 1);
    try {
      await this.crawlNow(job);
    } finally {
      if (userId) {
        const n = (this.perUser.get(userId) ?? 1) - 1;
        if (n > 0) this.perUser.set(userId, n);
        else this.perUser.delete(userId);
      }
    }
  }

  private async crawlNow(job: QueuedJob<CrawlJobData>): Promise<void> {
    const { jobId } = job.data;
    this.logger.log(`crawl ${jobId} started (attempt ${job.attemptsMade + 1})`);
    const abort = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, this.cfg.jobTimeoutMs);
    // Cancellation is a row update by the API (any process): polled here.
    const stopPolling = this.scheduler.every(`crawl-cancel-poll:${jobId}#${++this.polls}`, 500, async () => {
      const s = await this.jobs.status(jobId).catch(() => undefined);
      if (s && s !== 'running' && s !== 'queued') abort.abort();
    });
    this.active.inc();
    this.running.add(abort);
    try {
      const result = await this.runner.run(jobId, abort.signal);
      // Thrown so BullMQ retries it: the next attempt resumes where this one stopped.
      if (this.shuttingDown && abort.signal.aborted) throw new Error('worker shut down mid-crawl');
      if (timedOut) await this.end(jobId, 'failed', `job timed out after ${this.cfg.jobTimeoutMs / 1000}s`);
      else if (result.status === 'completed') await this.end(jobId, 'completed', result.notice ?? null);
      else if (result.status === 'failed') await this.end(jobId, 'failed', result.error);
      // Cancelled or timed out: the frontier it never fetched is dropped (a shutdown keeps it to resume).
      if (timedOut || result.status === 'cancelled') await this.runner.pages.dropUnfetched(jobId);
    } catch (err) {
      await this.jobs.recordError(jobId, (err as Error).message).catch(() => undefined);
      throw err;
    } finally {
      clearTimeout(timer);
      stopPolling();
      this.running.delete(abort);
      this.active.dec();
    }
  }

  private async end(jobId: string, status: 'completed' | 'failed', error: string | null = null): Promise<void> {
    // The job's end and its ingestion.* webhook event commit together (see JobEndings).
    const job = await this.endings.finish(jobId, status, error, jobEventPayload);
    if (!job) return;
    this.finished.inc({ status });
    this.logger.log(
      `crawl ${jobId} ${status}: ${job.indexed} indexed, ${job.fetched} fetched${error ? ` (${error})` : ''}`,
    );
  }
}

/** Data of the ingestion.completed / ingestion.failed event of an ended job. */
export function jobEventPayload(job: import('../entities/ingestion-job.entity').IngestionJobEntity): IngestionJobEnded {
  const payload = { sourceId: job.sourceId, jobId: job.id, userId: job.userId, counters: countersOf(job) };
  return job.status === 'failed' ? { ...payload, error: job.lastError } : payload;
}

/** How long a job deferred behind the same user's crawls waits before it is offered again. */
const USER_DEFER_MS = 1000;

export function countersOf(j: import('../entities/ingestion-job.entity').IngestionJobEntity) {
  return {
    discovered: j.discovered,
    fetched: j.fetched,
    indexed: j.indexed,
    unchanged: j.unchanged,
    skipped: {
      robots: j.skippedRobots,
      duplicate: j.skippedDuplicate,
      type: j.skippedType,
      size: j.skippedSize,
      depth: j.skippedDepth,
      error: j.skippedError,
    },
  };
}
