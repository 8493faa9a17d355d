import { Counter, Histogram } from 'prom-client';
import type { IngestionConfig } from '../../../config/namespaces';
import type { IngestionJobEntity } from '../entities/ingestion-job.entity';
import type { SourceEntity } from '../entities/source.entity';
import type { JobCounter, IngestionJobsRepository } from '../jobs.repository';
import type { Discovery, PageRow, PagesRepository } from '../pages.repository';
import type { SourcesRepository } from '../sources.repository';
import { CrawlRunner } from './crawl-runner';
import type { FetchOptions, FetchOutcome, Fetcher } from './fetcher';
import type { ChunkEmbedder } from '../embeddings/chunk-embedder';

type Row = PageRow & { title?: string };

/** The job's frontier and pages, in memory: what CrawlSession reads and writes through the repository. */
class FakePages {
  readonly rows = new Map<string, Row>();
  private seq = 0;

  async requeueKnown(): Promise<number> {
    return 0;
  }
  async countForJob(): Promise<number> {
    return this.rows.size;
  }
  async orphaned(): Promise<PageRow[]> {
    return [];
  }
  async discover(_s: string, _j: string, items: Discovery[]): Promise<number> {
    let added = 0;
    for (const d of items) {
      if (this.rows.has(d.url)) continue;
      this.rows.set(d.url, {
        id: `p${++this.seq}`,
        url: d.url,
        depth: d.depth,
        status: 'queued',
        contentHash: null,
        etag: null,
        lastModified: null,
      });
      added++;
    }
    return added;
  }
  async skipUnvisited(): Promise<number> {
    return 0;
  }
  async claimNext(): Promise<PageRow | null> {
    const row = [...this.rows.values()].find((r) => r.status === 'queued');
    if (row) row.status = 'fetching';
    return row ? { ...row } : null;
  }
  async settle(id: string, patch: { status: string }): Promise<void> {
    this.byId(id).status = patch.status;
  }
  async hashTaken(_s: string, pageId: string, hash: string): Promise<boolean> {
    return [...this.rows.values()].some((r) => r.id !== pageId && r.contentHash === hash);
  }
  async index(_s: string, page: PageRow, p: { title: string; contentHash: string }): Promise<void> {
    Object.assign(this.byId(page.id), { status: 'indexed', title: p.title, contentHash: p.contentHash });
  }
  async closeFrontier(): Promise<void> {}

  status(): Record<string, string> {
    return Object.fromEntries([...this.rows.values()].map((r) => [new URL(r.url).pathname, r.status]));
  }

  private byId(id: string): Row {
    return [...this.rows.values()].find((r) => r.id === id)!;
  }
}

class FakeJobs {
  counters: Partial<Record<JobCounter, number>> = {};
  constructor(private readonly pages: FakePages) {}

  async start(id: string) {
    return { id, sourceId: 'src-1' } as IngestionJobEntity;
  }
  async markSourceRunning(): Promise<void> {}
  async bumpMany(_id: string, batch: [JobCounter, number][]): Promise<void> {
    for (const [c, n] of batch) this.counters[c] = (this.counters[c] ?? 0) + n;
  }
  async recount(): Promise<void> {}
  async find() {
    const indexed = [...this.pages.rows.values()].filter((r) => r.status === 'indexed').length;
    return { indexed, unchanged: 0 } as IngestionJobEntity;
  }
}

const page = (title: string, body: string, links: string[] = []) =>
  `<html><head><title>${title}</title></head><body><main><h1>${title}</h1><p>${body}</p>${links.map((l) => `<a href="${l}">link</a>`).join('')}</main></body></html>`;

/** A site served from memory; `fetched` lists every URL asked for. */
class FakeFetcher {
  readonly fetched: string[] = [];
  readonly limiter = { setDelay: () => undefined };
  constructor(private readonly site: Record<string, string | number>) {}

  async fetch(url: string, opts: FetchOptions): Promise<FetchOutcome> {
    this.fetched.push(url);
    if (opts.signal?.aborted) return { kind: 'failed', url, status: null, error: 'aborted' };
    const body = this.site[new URL(url).pathname];
    if (typeof body !== 'string') return { kind: 'failed', url, status: body ?? 404, error: `HTTP ${body ?? 404}` };
    return {
      kind: 'ok',
      url,
      status: 200,
      body,
      contentType: 'text/html; charset=utf-8',
      etag: null,
      lastModified: null,
    };
  }
}

function setup(site: Record<string, string | number>, source: Partial<SourceEntity> = {}) {
  const pages = new FakePages();
  const jobs = new FakeJobs(pages);
  const fetcher = new FakeFetcher(site);
  const src = {
    id: 'src-1',
    url: 'https://docs.example/',
    domain: 'docs.example',
    includeSubdomains: false,
    includePaths: [],
    excludePaths: [],
    maxDepth: null,
    respectRobots: false,
    useSitemap: false,
    ...source,
  } as unknown as SourceEntity;
  const cfg = {
    fetchConcurrency: 2,
    maxFrontier: 100,
    chunkSize: 800,
    chunkOverlap: 100,
    crawler: { maxLinksPerPage: 100 },
  } as unknown as IngestionConfig;
  const registers: [] = [];
  const runner = new CrawlRunner(
    cfg,
    fetcher as unknown as Fetcher,
    jobs as unknown as IngestionJobsRepository,
    pages as unknown as PagesRepository,
    { find: async () => src } as unknown as SourcesRepository,
    { embedSource: async () => null } as unknown as ChunkEmbedder,
    new Counter({ name: 'f', help: 'h', registers }),
    new Counter({ name: 'i', help: 'h', registers }),
    new Counter({ name: 's', help: 'h', labelNames: ['reason'], registers }),
    new Histogram({ name: 'd', help: 'h', registers }),
  );
  return { runner, pages, jobs, fetcher };
}

const SITE = {
  '/': page('Home', 'Welcome to the documentation of the example product.', [
    '/a',
    '/b',
    'https://other.example/x',
    '/a#top',
  ]),
  '/a': page('Install', 'Install the product with the package manager of your system.', ['/c', '/']),
  '/b': page('Install', 'Install the product with the package manager of your system.', ['/c', '/']),
  '/c': page('Deep', 'A page two links away from the start page.'),
};

describe('CrawlSession (through CrawlRunner, with in-memory pages, jobs and site)', () => {
  it('follows in-scope links once each, indexes every page, and skips a page whose content another page already has', async () => {
    const { runner, pages, jobs, fetcher } = setup(SITE);
    expect(await runner.run('job-1', new AbortController().signal)).toEqual({ status: 'completed' });
    const status = pages.status();
    expect(status).toMatchObject({ '/': 'indexed', '/c': 'indexed' });
    // /a and /b are fetched concurrently with the same content: whichever comes second is the duplicate.
    expect([status['/a'], status['/b']].sort()).toEqual(['indexed', 'skipped']);
    expect(fetcher.fetched.filter((u) => !u.startsWith('https://docs.example/'))).toEqual([]);
    expect(fetcher.fetched.sort()).toEqual([
      'https://docs.example/',
      'https://docs.example/a',
      'https://docs.example/b',
      'https://docs.example/c',
    ]);
    expect(jobs.counters).toMatchObject({ discovered: 4, indexed: 3, skipped_duplicate: 1 });
  });

  it('stops at the source maximum depth, counting the links beyond it', async () => {
    const { runner, pages, jobs } = setup(SITE, { maxDepth: 1 });
    await runner.run('job-1', new AbortController().signal);
    expect(Object.keys(pages.status()).sort()).toEqual(['/', '/a', '/b']);
    // Counted per link seen: /c is linked from /a and from /b.
    expect(jobs.counters.skipped_depth).toBe(2);
  });

  it('keeps to the include and exclude paths', async () => {
    const { runner, pages } = setup(SITE, { excludePaths: ['/b'] });
    await runner.run('job-1', new AbortController().signal);
    expect(Object.keys(pages.status()).sort()).toEqual(['/', '/a', '/c']);
  });

  it('fails the job with the reason when the start page cannot be fetched and nothing was indexed', async () => {
    const { runner, pages } = setup({ '/': 500 });
    expect(await runner.run('job-1', new AbortController().signal)).toEqual({
      status: 'failed',
      error: 'https://docs.example/: HTTP 500',
    });
    expect(pages.status()).toEqual({ '/': 'failed' });
  });

  it('reports a cancelled run and fetches nothing more once aborted', async () => {
    const { runner, fetcher } = setup(SITE);
    const abort = new AbortController();
    abort.abort();
    expect(await runner.run('job-1', abort.signal)).toEqual({ status: 'cancelled' });
    expect(fetcher.fetched).toEqual([]);
  });
});
