import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { createHash } from 'node:crypto';
import { Counter, Histogram } from 'prom-client';
import { ingestionConfig, IngestionConfig } from '../../../config/namespaces';
import { SourceEntity } from '../entities/source.entity';
import { chunkSections } from '../extract/chunker';
import { extractHtml, pageText, Section } from '../extract/html-extract';
import { chunkLanguages, resolveLanguage } from '../extract/language';
import { ChunkEmbedder } from '../embeddings/chunk-embedder';
import { FETCH_DURATION, PAGES_FETCHED, PAGES_INDEXED, PAGES_SKIPPED } from '../ingestion.metrics';
import { IngestionJobsRepository, JobCounter } from '../jobs.repository';
import { Discovery, PageRow, PagesRepository } from '../pages.repository';
import { SourcesRepository } from '../sources.repository';
import { Fetcher } from './fetcher';
import { loadRobots, RobotsRules, sitemapLocations } from './robots';
import { inDomain, normaliseUrl, onStartPort, pathAllowed } from './url-normalise';

/** `notice`: a completed crawl's side problem (its chunks could not all be embedded), kept as the job's lastError. */
export type RunResult =
  | { status: 'completed'; notice?: string }
  | { status: 'cancelled' }
  | { status: 'failed'; error: string };

/** One crawl attempt of one job. Everything it knows is in the database, so a new attempt resumes it. */
class CrawlSession {
  private readonly robots = new Map<string, Promise<RobotsRules | null>>();
  private readonly hashes = new Set<string>();
  /** URLs this attempt already sent to the frontier: nav links repeat on every page. */
  private readonly enqueued = new Set<string>();
  /** Progress counters, written in batches (one hot job row would serialise every lane). */
  private readonly pending = new Map<JobCounter, number>();
  private flushing: Promise<void> = Promise.resolve();
  private lastFlush = Date.now();
  private inflight = 0;
  private waiters: (() => void)[] = [];
  private seedError: string | null = null;
  /** The start page was refused by the SSRF guard (after a redirect or a DNS change): the job fails. */
  private seedRefused = false;
  private readonly start: URL;
  /** Rows this job has in the frontier (bounded by INGESTION_MAX_FRONTIER). */
  private frontier = 0;
  private frontierFull = false;

  constructor(
    private readonly r: CrawlRunner,
    private readonly jobId: string,
    private readonly source: SourceEntity,
    private readonly signal: AbortSignal,
  ) {
    this.start = new URL(normaliseUrl(source.url)!);
  }

  async run(): Promise<void> {
    const root = this.start.toString();
    this.count('discovered', await this.r.pages.requeueKnown(this.source.id, this.jobId));
    this.frontier = await this.r.pages.countForJob(this.jobId);
    await this.enqueue([{ url: root, depth: 0 }]);
    if (this.source.useSitemap) await this.seedSitemaps(root);
    const orphans = await this.r.pages.orphaned(this.jobId);
    const lane = async (): Promise<void> => {
      while (!this.signal.aborted) {
        const page = orphans.shift() ?? (await this.r.pages.claimNext(this.jobId));
        if (!page) {
          if (this.inflight === 0) return;
          await new Promise<void>((res) => this.waiters.push(res));
          continue;
        }
        this.inflight++;
        try {
          await this.visit(page).catch((err: unknown) => this.pageFailed(page, err));
        } finally {
          this.inflight--;
          // Wake every idle lane: the page just done may have queued new links.
          for (const w of this.waiters.splice(0)) w();
        }
      }
    };
    await Promise.all(Array.from({ length: this.r.cfg.fetchConcurrency }, lane));
  }

  private count(counter: JobCounter, by = 1): void {
    if (by) this.pending.set(counter, (this.pending.get(counter) ?? 0) + by);
    if (Date.now() - this.lastFlush > 500) void this.flush();
  }

  /** Writes the counters gathered so far; the final figures are recounted from the pages anyway. */
  flush(): Promise<void> {
    this.lastFlush = Date.now();
    const batch = [...this.pending.entries()];
    this.pending.clear();
    this.flushing = this.flushing.then(() => this.r.jobs.bumpMany(this.jobId, batch)).catch(() => undefined);
    return this.flushing;
  }

  /** The seed page failed and nothing could be indexed, or it was refused: the job fails with that reason. */
  get fatalError(): { error: string; always: boolean } | null {
    return this.seedError ? { error: this.seedError, always: this.seedRefused } : null;
  }

  /**
   * A page the crawler could not process (bytes Postgres refuses, a URL that does not decode…)
   * is recorded as failed with the reason and the crawl goes on. Only when even that write
   * fails is it an infrastructure error: thrown, so BullMQ retries the attempt.
   */
  private async pageFailed(page: PageRow, err: unknown): Promise<void> {
    const reason = `could not process the page: ${(err as Error)?.message ?? String(err)}`;
    try {
      await this.skip(page, 'failed', 'error', { error: reason });
    } catch {
      throw err;
    }
    this.r.logger.warn(`crawl ${this.jobId}: ${page.url}: ${reason}`);
    if (page.depth === 0) this.seedError = `${page.url}: ${reason}`;
  }

  private async visit(page: PageRow): Promise<void> {
    const known = page.status === 'indexed' || page.status === 'unchanged';
    const started = process.hrtime.bigint();
    const res = await this.r.fetcher.fetch(page.url, {
      etag: known ? page.etag : null,
      lastModified: known ? page.lastModified : null,
      allowTarget: (u) => this.inScope(u),
      signal: this.signal,
    });
    this.r.fetchDuration.observe(Number(process.hrtime.bigint() - started) / 1e9);
    this.r.fetched.inc();
    if (this.signal.aborted) return;
    switch (res.kind) {
      case 'failed':
        if (page.depth === 0) this.seedError = `${page.url}: ${res.error}`;
        if (page.depth === 0 && res.refused) this.seedRefused = true;
        return this.skip(page, 'failed', 'error', { httpStatus: res.status, error: res.error });
      case 'skipped':
        if (page.depth === 0) this.seedError = `${page.url}: ${res.detail}`;
        return this.skip(page, 'skipped', SKIP_COUNTER[res.reason], {
          httpStatus: res.status,
          skipReason: res.reason,
          error: res.detail,
        });
      case 'not-modified':
        await this.r.pages.settle(page.id, { status: 'unchanged', httpStatus: res.status });
        return this.count('unchanged');
    }
    const isHtml = !/^text\/plain/i.test(res.contentType);
    const ex = isHtml ? extractHtml(res.body) : null;
    const sections: Section[] = ex ? ex.sections : [{ headingPath: [], text: res.body.trim() }];
    const text = pageText(sections);
    const title = ex?.title || safeDecode(new URL(res.url).pathname.split('/').filter(Boolean).pop() ?? '') || res.url;
    if (ex && !ex.nofollow) await this.enqueue(this.links(ex.links, ex.baseHref, res.url, page.depth + 1));
    const hash = createHash('sha256').update(title).update('\0').update(text).digest('hex');
    const conditional = { httpStatus: res.status, etag: res.etag, lastModified: res.lastModified };
    if (ex?.noindex) return this.skip(page, 'skipped', null, { ...conditional, skipReason: 'noindex' });
    if (known && hash === page.contentHash) {
      await this.r.pages.settle(page.id, { status: 'unchanged', ...conditional });
      return this.count('unchanged');
    }
    // Check-and-add in one synchronous step: two lanes cannot both claim the same content.
    if (
      this.hashes.has(hash) ||
      (await this.r.pages.hashTaken(this.source.id, page.id, hash)) ||
      this.hashes.has(hash)
    ) {
      return this.skip(page, 'skipped', 'duplicate', { ...conditional, skipReason: 'duplicate' });
    }
    this.hashes.add(hash);
    const { lang, tsConfig } = resolveLanguage(ex?.lang ?? null, text);
    const chunks = chunkLanguages(chunkSections(sections, this.r.cfg.chunkSize, this.r.cfg.chunkOverlap), {
      lang,
      fromAttribute: !!ex?.lang,
    });
    await this.r.pages.index(
      this.source.id,
      page,
      { title, lang, tsConfig, text, contentHash: hash, ...conditional },
      chunks,
    );
    this.r.indexed.inc();
    this.count('indexed');
  }

  private async skip(
    page: PageRow,
    status: 'failed' | 'skipped',
    counter: 'error' | 'type' | 'size' | 'duplicate' | null,
    patch: Parameters<PagesRepository['settle']>[1] extends infer P ? Omit<P & object, 'status'> : never,
  ): Promise<void> {
    await this.r.pages.settle(page.id, { status, ...patch });
    const reason = counter ?? patch.skipReason ?? 'other';
    this.r.skipped.inc({ reason });
    if (counter) this.count(`skipped_${counter}` as JobCounter);
  }

  private links(hrefs: string[], baseHref: string | null, pageUrl: string, depth: number): Discovery[] {
    let base = pageUrl;
    if (baseHref) base = normaliseUrl(baseHref, pageUrl) ?? pageUrl;
    const out: Discovery[] = [];
    for (const h of hrefs) {
      const url = normaliseUrl(h, base);
      if (url) out.push({ url, depth });
    }
    return out;
  }

  /** The source's hosts on the start URL's port (another port of a host is another service). */
  private onSite(u: URL): boolean {
    return inDomain(u.hostname, this.source.domain, this.source.includeSubdomains) && onStartPort(u, this.start);
  }

  private inScope(u: URL): boolean {
    return this.onSite(u) && pathAllowed(u.pathname, this.source.includePaths, this.source.excludePaths);
  }

  /**
   * Scope, depth and robots filters, then the frontier (duplicates folded by the unique key).
   * Bounded twice: at most CRAWLER_MAX_LINKS_PER_PAGE new links from one page, and at most
   * INGESTION_MAX_FRONTIER rows for the job (a link maze cannot fill the table).
   */
  private async enqueue(items: Discovery[]): Promise<void> {
    const unique = new Map<string, Discovery>();
    const room = Math.min(this.r.cfg.crawler.maxLinksPerPage, this.r.cfg.maxFrontier - this.frontier);
    let tooDeep = 0;
    let dropped = 0;
    for (const d of items) {
      if (unique.has(d.url) || this.enqueued.has(d.url) || !this.inScope(new URL(d.url))) continue;
      if (this.source.maxDepth !== null && d.depth > this.source.maxDepth) {
        tooDeep++;
        continue;
      }
      if (unique.size >= room) {
        dropped++;
        continue;
      }
      unique.set(d.url, d);
      this.enqueued.add(d.url);
    }
    // Reserved before the first await: lanes enqueue concurrently and must not all see the same room.
    this.frontier += unique.size;
    if (dropped) this.linksDropped(dropped);
    const allowed: Discovery[] = [];
    const blocked: Discovery[] = [];
    for (const d of unique.values()) {
      const rules = this.source.respectRobots ? await this.robotsFor(new URL(d.url).origin) : null;
      const refused = rules && !rules.allowed(d.url);
      (refused ? blocked : allowed).push(d);
      if (refused && d.depth === 0) this.robotsBlockedSeed(d.url, rules);
    }
    // Depth is counted per link seen, so a page linked from many places counts more than once.
    this.count('skipped_depth', tooDeep);
    const skipped = await this.r.pages.skipUnvisited(this.source.id, this.jobId, blocked, 'robots');
    const discovered = await this.r.pages.discover(this.source.id, this.jobId, allowed);
    // URLs another attempt of this job had already queued are not new rows: the reservation is returned.
    this.frontier -= unique.size - (skipped + discovered);
    this.count('skipped_robots', skipped);
    this.count('discovered', discovered);
  }

  private linksDropped(n: number): void {
    this.r.skipped.inc({ reason: 'frontier' }, n);
    if (this.frontier >= this.r.cfg.maxFrontier && !this.frontierFull) {
      this.frontierFull = true;
      this.r.logger.warn(
        `crawl ${this.jobId}: frontier full (INGESTION_MAX_FRONTIER=${this.r.cfg.maxFrontier}); further links are dropped`,
      );
    }
  }

  /**
   * The start page itself is off limits by robots.txt: said on the job instead of a silent
   * "completed, 0 pages". robots.txt refused by the SSRF guard means the site is.
   */
  private robotsBlockedSeed(url: string, rules: RobotsRules): void {
    const why = rules.unreachable;
    if (why?.refused) this.seedRefused = true;
    this.seedError = why
      ? `${url}: robots.txt could not be read, so the site is not crawled: ${why.error}`
      : `${url}: robots.txt disallows the start page`;
  }

  private robotsFor(origin: string): Promise<RobotsRules | null> {
    let p = this.robots.get(origin);
    if (!p) {
      const c = this.r.cfg.crawler;
      p = loadRobots(this.r.fetcher, origin, c.userAgent, c.maxCrawlDelayMs, this.signal).then((rules) => {
        if (rules.crawlDelayMs) this.r.fetcher.limiter.setDelay(new URL(origin).host, rules.crawlDelayMs);
        return rules;
      });
      this.robots.set(origin, p);
    }
    return p;
  }

  /** Sitemaps named by robots.txt are read only when they are on the site (same hosts and port). */
  private async seedSitemaps(root: string): Promise<void> {
    const origin = new URL(root).origin;
    const rules = await this.robotsFor(origin);
    const named = (rules?.sitemaps ?? [])
      .map((m) => normaliseUrl(m))
      .filter((m): m is string => m !== null && this.onSite(new URL(m)));
    const maps = new Set([`${origin}/sitemap.xml`, ...named]);
    for (const map of maps) {
      const res = await this.r.fetcher.fetch(map, {
        anyType: true,
        signal: this.signal,
        allowTarget: (u) => this.onSite(u),
      });
      if (res.kind !== 'ok') continue;
      await this.enqueue(this.links(sitemapLocations(res.body), null, map, 1));
    }
  }
}

/** Job counter of each skip reason the fetcher gives. */
const SKIP_COUNTER = {
  type: 'type',
  size: 'size',
  binary: 'type',
  encoding: 'type',
  redirect: 'error',
  offsite: 'error',
} as const;

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Time kept between the end of the embedding pass and the job timeout, to end the job as completed. */
const EMBEDDING_TIMEOUT_MARGIN_MS = 2000;

@Injectable()
export class CrawlRunner {
  readonly logger = new Logger(CrawlRunner.name);

  constructor(
    @Inject(ingestionConfig.KEY) readonly cfg: IngestionConfig,
    readonly fetcher: Fetcher,
    readonly jobs: IngestionJobsRepository,
    readonly pages: PagesRepository,
    private readonly sources: SourcesRepository,
    private readonly embedder: ChunkEmbedder,
    @InjectMetric(PAGES_FETCHED) readonly fetched: Counter<string>,
    @InjectMetric(PAGES_INDEXED) readonly indexed: Counter<string>,
    @InjectMetric(PAGES_SKIPPED) readonly skipped: Counter<string>,
    @InjectMetric(FETCH_DURATION) readonly fetchDuration: Histogram<string>,
  ) {}

  /**
   * Crawls until the frontier is empty or maxPages is reached. `signal` aborts on cancel or on
   * the job timeout; the caller decides which it was. Throws only on infrastructure errors
   * (database down), which BullMQ retries as a new attempt that resumes from the frontier.
   */
  async run(jobId: string, signal: AbortSignal): Promise<RunResult> {
    const began = Date.now();
    const job = await this.jobs.start(jobId);
    if (!job) return { status: 'cancelled' };
    const source = await this.sources.find(job.sourceId);
    if (!source) return { status: 'cancelled' };
    await this.jobs.markSourceRunning(jobId);
    const session = new CrawlSession(this, jobId, source, signal);
    await session.run();
    await session.flush();
    if (signal.aborted) return { status: 'cancelled' };
    await this.pages.closeFrontier(jobId);
    await this.jobs.recount(jobId);
    const after = await this.jobs.find(jobId);
    const fatal = session.fatalError;
    if (fatal && after && (fatal.always || after.indexed + after.unchanged === 0)) {
      this.logger.warn(`crawl ${jobId} failed: ${fatal.error}`);
      return { status: 'failed', error: fatal.error };
    }
    // Semantic retrieval (when configured): never fails the crawl, see ChunkEmbedder.
    const deadline = began + this.cfg.jobTimeoutMs - EMBEDDING_TIMEOUT_MARGIN_MS;
    const embedding = await this.embedder.embedSource(jobId, source.id, signal, deadline);
    return embedding?.problem ? { status: 'completed', notice: embedding.problem } : { status: 'completed' };
  }
}
