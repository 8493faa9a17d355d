import { InjectQueue } from '@nestjs/bullmq';
import {
  BadRequestException,
  Inject,
  Injectable,
  NotFoundException,
  OnModuleInit,
  UnprocessableEntityException,
} from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { Gauge } from 'prom-client';
import { Scheduler } from '../../common/lifecycle/scheduler';
import { EgressRefusedError } from '../../common/net/ssrf-guard';
import type { JobQueue } from '../../common/queue/job-queue';
import { currentRequestId } from '../../common/logging/request-context';
import { traceCarrier } from '../../common/tracing/job-trace';
import { ingestionConfig, IngestionConfig } from '../../config/namespaces';
import { countersOf, jobEventPayload } from './crawl/crawl.worker';
import { CrawlTargetCheck } from './crawl/crawl-target';
import { JobEndings } from './job-endings';
import { inDomain, normaliseUrl } from './crawl/url-normalise';
import { CreateSourceDto } from './dto/source.dto';
import { IngestionJobEntity } from './entities/ingestion-job.entity';
import { SourceEntity } from './entities/source.entity';
import { CrawlJobData, INGESTION_QUEUE } from './ingestion.constants';
import { QUEUE_DEPTH } from './ingestion.metrics';
import { IngestionJobsRepository } from './jobs.repository';
import { PagesRepository } from './pages.repository';
import { SourcesRepository } from './sources.repository';
import { problemBody } from '../../common/errors/error-code';

export function toJobView(j: IngestionJobEntity) {
  return {
    id: j.id,
    sourceId: j.sourceId,
    status: j.status,
    maxPages: j.maxPages,
    attempts: j.attempts,
    counters: countersOf(j),
    lastError: j.lastError,
    startedAt: j.startedAt,
    finishedAt: j.finishedAt,
    createdAt: j.createdAt,
  };
}
export type JobView = ReturnType<typeof toJobView>;

export function toSourceView(s: SourceEntity) {
  const { userId: _u, user: _x, lastJobId: _l, updatedAt: _d, ...rest } = s;
  return rest;
}

@Injectable()
export class IngestionService implements OnModuleInit {
  constructor(
    @Inject(ingestionConfig.KEY) private readonly cfg: IngestionConfig,
    @InjectQueue(INGESTION_QUEUE) private readonly queue: JobQueue<CrawlJobData>,
    private readonly sources: SourcesRepository,
    private readonly jobs: IngestionJobsRepository,
    private readonly pages: PagesRepository,
    private readonly endings: JobEndings,
    private readonly target: CrawlTargetCheck,
    @InjectMetric(QUEUE_DEPTH) private readonly queueDepth: Gauge<string>,
    private readonly scheduler: Scheduler,
  ) {}

  onModuleInit(): void {
    this.scheduler.every('ingestion-reaper', this.cfg.stalledIntervalMs, () => this.reap());
  }

  async create(userId: string, dto: CreateSourceDto) {
    const url = normaliseUrl(dto.url);
    if (!url || !/^https?:\/\//i.test(dto.url.trim())) {
      throw new BadRequestException(
        problemBody({
          message: 'url must be an absolute http or https URL',
          code: 'invalid-url',
          errors: [{ field: 'url', messages: ['must be an absolute http or https URL'] }],
        }),
      );
    }
    const host = new URL(url).hostname;
    const domain = (dto.domain ?? host).toLowerCase();
    if (!inDomain(host, domain, dto.includeSubdomains ?? false)) {
      throw new BadRequestException(
        problemBody({
          message: 'url must be on domain',
          code: 'url-off-domain',
          errors: [{ field: 'domain', messages: ['must contain the url host'] }],
        }),
      );
    }
    if (dto.includeSubdomains && this.target.isPublicSuffix(domain)) {
      throw new UnprocessableEntityException(
        problemBody({
          message: `domain ${domain} is a public suffix: with subdomains it would cover every site under it; give the site's own domain`,
          code: 'domain-public-suffix',
          errors: [
            {
              field: 'domain',
              messages: ['must not be a public suffix (public suffix list) when includeSubdomains is true'],
            },
          ],
        }),
      );
    }
    await this.assertReachable(new URL(url));
    const maxPages = dto.maxPages ?? Math.min(50, this.cfg.maxPages);
    if (maxPages > this.cfg.maxPages) {
      throw new BadRequestException(
        problemBody({
          message: `maxPages may be at most ${this.cfg.maxPages}`,
          code: 'max-pages',
          errors: [{ field: 'maxPages', messages: [`must not be greater than ${this.cfg.maxPages}`] }],
        }),
      );
    }
    const source = await this.sources.create({
      userId,
      url,
      domain,
      includeSubdomains: dto.includeSubdomains ?? false,
      maxPages,
      maxDepth: dto.maxDepth ?? null,
      includePaths: dto.includePaths ?? [],
      excludePaths: dto.excludePaths ?? [],
      respectRobots: dto.respectRobots ?? true,
      useSitemap: dto.useSitemap ?? false,
    });
    const job = await this.startJob(source);
    return { ...toSourceView({ ...source, status: 'queued' }), job: toJobView(job) };
  }

  /** A start URL the SSRF guard would refuse is refused now, with the rule and the setting that allows it. */
  private async assertReachable(url: URL): Promise<void> {
    try {
      await this.target.assertReachable(url);
    } catch (err) {
      if (!(err instanceof EgressRefusedError)) throw err;
      throw new UnprocessableEntityException(
        problemBody({
          message: `Start URL refused: ${err.message}`,
          code: 'crawl-target-refused',
          rule: 'The crawler does not connect to loopback, private, link-local, multicast or reserved addresses',
          setting: 'CRAWLER_ALLOWED_HOSTS',
          errors: [{ field: 'url', messages: [`refused: ${err.reason}`] }],
        }),
      );
    }
  }

  async recrawl(userId: string, id: string): Promise<JobView> {
    const source = await this.owned(userId, id);
    return toJobView(await this.startJob(source));
  }

  async list(userId: string) {
    const rows = await this.sources.listForUser(userId);
    const counts = await this.pages.countsBySource(rows.map((r) => r.id));
    return rows.map((s) => ({ ...toSourceView(s), counts: counts.get(s.id) }));
  }

  async get(userId: string, id: string) {
    const source = await this.owned(userId, id);
    const counts = (await this.pages.countsBySource([id])).get(id);
    const job = source.lastJobId ? await this.jobs.find(source.lastJobId) : null;
    return { ...toSourceView(source), counts, job: job ? toJobView(job) : null };
  }

  async remove(userId: string, id: string): Promise<void> {
    const source = await this.owned(userId, id);
    if (source.lastJobId) await this.cancelJob(source.lastJobId);
    await this.sources.delete(id);
  }

  async listPages(userId: string, id: string, limit = 50, offset = 0) {
    await this.owned(userId, id);
    const [items, total] = await Promise.all([this.pages.list(id, limit, offset), this.pages.countForSource(id)]);
    const view = items.map(
      ({ id: pid, url, title, status, httpStatus, skipReason, error, lang, depth, fetchedAt }) => ({
        id: pid,
        url,
        title,
        status,
        httpStatus,
        skipReason,
        error,
        lang,
        depth,
        fetchedAt,
      }),
    );
    return { items: view, total, limit, offset };
  }

  async getJob(userId: string, id: string): Promise<JobView> {
    const job = await this.jobs.findOwned(id, userId);
    if (!job) throw new NotFoundException(problemBody({ message: 'No such ingestion job', code: 'job-not-found' }));
    return toJobView(job);
  }

  async cancel(userId: string, id: string): Promise<JobView> {
    const job = await this.jobs.findOwned(id, userId);
    if (!job) throw new NotFoundException(problemBody({ message: 'No such ingestion job', code: 'job-not-found' }));
    await this.cancelJob(id);
    return toJobView((await this.jobs.find(id))!);
  }

  private async cancelJob(id: string): Promise<void> {
    await this.jobs.finish(id, 'cancelled');
    // A waiting job is removed; a running one sees the row and stops (see CrawlWorker).
    await this.queue.remove(id).catch(() => undefined);
  }

  private async owned(userId: string, id: string): Promise<SourceEntity> {
    const source = await this.sources.findOwned(id, userId);
    if (!source) throw new NotFoundException(problemBody({ message: 'No such source', code: 'source-not-found' }));
    return source;
  }

  private async startJob(source: SourceEntity): Promise<IngestionJobEntity> {
    const job = await this.jobs.create({ sourceId: source.id, userId: source.userId, maxPages: source.maxPages });
    await this.sources.setLastJob(source.id, job.id);
    await this.queue.add(
      'crawl',
      { jobId: job.id, userId: source.userId, requestId: currentRequestId(), trace: traceCarrier() },
      {
        jobId: job.id,
        attempts: this.cfg.jobAttempts,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: { count: 1000 },
        removeOnFail: { count: 1000 },
      },
    );
    return job;
  }

  /**
   * Last line of defence against "queued forever": an unfinished job older than the job
   * timeout (plus a stall interval of grace) whose BullMQ job is gone or failed is failed here.
   */
  async reap(): Promise<number> {
    this.queueDepth.set(await this.queue.getWaitingCount().catch(() => 0));
    const stale = await this.jobs.unfinishedOlderThan(this.cfg.jobTimeoutMs + this.cfg.stalledIntervalMs);
    let n = 0;
    for (const j of stale) {
      const state = await this.queue.getJobState(j.id).catch(() => 'unknown');
      if (state === 'active' && j.status === 'running') continue;
      // Deferred behind the same user's running crawl (INGESTION_USER_CONCURRENCY): a worker has it.
      if (state === 'delayed' && j.status === 'queued') continue;
      const reason =
        state === 'waiting' || state === 'prioritized'
          ? 'no worker took the job in time'
          : `job exceeded the timeout (queue state ${state})`;
      if (await this.endings.finish(j.id, 'failed', reason, jobEventPayload)) {
        n++;
        await this.queue.remove(j.id).catch(() => undefined);
      }
    }
    return n;
  }
}
