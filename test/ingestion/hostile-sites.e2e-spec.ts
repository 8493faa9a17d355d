import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { bearer, bootAuthApp, createUser, http, TestUser } from '../support/auth';
import { waitFor } from '../support/redis-server';
import { CRAWL_TEST_ENV, submit, waitForJob } from './helpers';
import { CountingServer, HostileSite } from './hostile-site';

/**
 * The crawler against sites that behave badly (findings of an outside probe): a page dripping
 * bytes, bad bytes and compressed bodies, links and sitemaps off the start origin, a link maze.
 */
describe('crawler against hostile sites', () => {
  const BODY_DEADLINE_MS = 1000;
  const LINKS_PER_PAGE = 50;
  const FRONTIER = 120;
  const MAX_PAGES = 100;
  let app: NestFastifyApplication;
  let site: HostileSite;
  let siteB: HostileSite;
  let other: CountingServer;
  let user: TestUser;
  let ds: DataSource;

  beforeAll(async () => {
    site = await new HostileSite().start();
    siteB = await new HostileSite().start();
    other = await new CountingServer().start();
    app = await bootAuthApp({
      ...CRAWL_TEST_ENV,
      CRAWLER_BODY_TIMEOUT_MS: String(BODY_DEADLINE_MS),
      CRAWLER_MAX_LINKS_PER_PAGE: String(LINKS_PER_PAGE),
      INGESTION_MAX_FRONTIER: String(FRONTIER),
      INGESTION_MAX_PAGES: String(MAX_PAGES),
      INGESTION_WORKER_CONCURRENCY: '2',
    });
    ds = app.get(DataSource);
    user = await createUser(app);
  });
  afterAll(async () => {
    await app?.close();
    await site?.stop();
    await siteB?.stop();
    await other?.stop();
  });

  const pagesOf = async (u: TestUser, sourceId: string) =>
    (await http(app).get(`/api/v1/sources/${sourceId}/pages?limit=200`).set(bearer(u.accessToken))).body.items as {
      url: string;
      status: string;
      skipReason: string | null;
      error: string | null;
      title: string | null;
    }[];
  const byPath = <T extends { url: string }>(pages: T[]) => new Map(pages.map((p) => [new URL(p.url).pathname, p]));
  const cancel = (u: TestUser, jobId: string) =>
    http(app).post(`/api/v1/ingestion-jobs/${jobId}/cancel`).set(bearer(u.accessToken));

  it('cuts off a page that drips a byte every 300 ms at the whole-body deadline (an idle timeout never fires)', async () => {
    const started = Date.now();
    const src = await submit(app, user, { url: `${site.origin}/drip/alone`, maxDepth: 0 });
    const job = await waitForJob(app, user, src.job.id, 15000);
    const took = Date.now() - started;
    expect(job.status).toBe('failed');
    expect(job.lastError).toMatch(/body not complete within 1000 ms \(CRAWLER_BODY_TIMEOUT_MS\)/);
    expect(took).toBeLessThan(BODY_DEADLINE_MS + 4000);
  }, 30000);

  it("one user's dripping sites do not delay another user's one-page crawl", async () => {
    const a = await createUser(app);
    const b = await createUser(app);
    // Two crawls of 40 dripping pages each: with both worker slots they would take every slot.
    const slow = [
      await submit(app, a, { url: `${site.origin}/slow-index/40`, maxPages: 41 }),
      await submit(app, a, { url: `${site.origin}/slow-index/41`, maxPages: 42 }),
    ];
    try {
      await waitFor(
        () => Promise.resolve(site.count('/drip/')),
        (n) => n > 0,
        10000,
      );
      const started = Date.now();
      const quick = await submit(app, b, { url: `${siteB.origin}/one`, maxDepth: 0 });
      const job = await waitForJob(app, b, quick.job.id, 20000);
      const waited = Date.now() - started;
      expect(job).toMatchObject({ status: 'completed', counters: expect.objectContaining({ indexed: 1 }) });
      // Bound: a deferred job is offered again after 1 s; the crawl itself takes a few 100 ms.
      expect(waited).toBeLessThan(5000);
    } finally {
      for (const s of slow) await cancel(a, s.job.id);
      for (const s of slow) await waitForJob(app, a, s.job.id, 15000);
    }
  }, 60000);

  it('skips a bad page with its reason and completes: NUL bytes, binary as text/html, compressed bodies, a broken percent-escape', async () => {
    const src = await submit(app, user, { url: `${site.origin}/bad`, maxPages: 20 });
    const job = await waitForJob(app, user, src.job.id);
    expect([job.status, job.lastError]).toEqual(['completed', null]);
    const pages = byPath(await pagesOf(user, src.id));
    for (const p of ['/bad', '/ok', '/nul', '/gzip', '/deflate', '/br', '/bad%E0%A4%A'])
      expect([p, pages.get(p)?.status]).toEqual([p, 'indexed']);
    expect(pages.get('/gzip-raw')).toMatchObject({
      status: 'skipped',
      skipReason: 'binary',
      error: expect.stringMatching(/gzip/),
    });
    expect(pages.get('/random')).toMatchObject({ status: 'skipped', skipReason: 'binary' });
    expect(pages.get('/bad%E0%A4%A')?.title).toBe('bad%E0%A4%A');
    const texts: { url: string; text: string }[] = await ds.query(
      `SELECT url, text FROM pages WHERE source_id = $1 AND status = 'indexed'`,
      [src.id],
    );
    const text = new Map(texts.map((t) => [new URL(t.url).pathname, t.text]));
    expect(text.get('/nul')).toContain('nulbyte page, about zebras');
    for (const enc of ['gzip', 'deflate', 'br']) expect(text.get(`/${enc}`)).toContain(`about ${enc} compression`);
    expect(job.counters.skipped).toMatchObject({ type: 2 });
  });

  it("keeps to the start URL's origin: no other port, and sitemaps of other hosts or ports are not read", async () => {
    site.elsewhere = [`http://127.0.0.1:${other.port}`, `http://localhost:${other.port}`];
    try {
      const src = await submit(app, user, { url: `${site.origin}/scope`, useSitemap: true, maxPages: 20 });
      const job = await waitForJob(app, user, src.job.id);
      expect(job.status).toBe('completed');
      const pages = byPath(await pagesOf(user, src.id));
      expect(pages.get('/from-sitemap')?.status).toBe('indexed');
      expect(other.hits).toBe(0);
    } finally {
      site.elsewhere = [];
    }
  });

  it('fails the job with the reason when robots.txt disallows the start page (was: completed with 0 pages and no reason)', async () => {
    const src = await submit(app, user, { url: `${site.origin}/private/start` });
    const job = await waitForJob(app, user, src.job.id);
    expect(job.status).toBe('failed');
    expect(job.lastError).toBe(`${site.origin}/private/start: robots.txt disallows the start page`);
    expect(site.hits.get('/private/start')).toBeUndefined();
  });

  it('refuses a bare public suffix as a domain with subdomains (422)', async () => {
    for (const [url, domain] of [
      ['http://example.com/', 'com'],
      ['http://x.github.io/', 'github.io'],
      ['http://a.b.co.uk/', 'co.uk'],
    ]) {
      const res = await http(app)
        .post('/api/v1/sources')
        .set(bearer(user.accessToken))
        .send({ url, domain, includeSubdomains: true });
      expect([domain, res.status, res.body.code]).toEqual([domain, 422, 'domain-public-suffix']);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
  });

  it('bounds the frontier of a link maze: links per page and rows per job, at every moment', async () => {
    const src = await submit(app, user, { url: `${site.origin}/maze/0`, maxPages: MAX_PAGES });
    const rowsNow = async () =>
      (
        await ds.query(
          `SELECT count(*)::int AS rows, count(*) FILTER (WHERE depth = 1)::int AS first FROM pages WHERE source_id = $1`,
          [src.id],
        )
      )[0] as { rows: number; first: number };
    // Unfetched rows are deleted when the crawl ends: the bound must hold while it runs.
    let peak = { rows: 0, first: 0 };
    let status = 'queued';
    while (!['completed', 'failed', 'cancelled'].includes(status)) {
      const now = await rowsNow();
      peak = { rows: Math.max(peak.rows, now.rows), first: Math.max(peak.first, now.first) };
      status = (await http(app).get(`/api/v1/ingestion-jobs/${src.job.id}`).set(bearer(user.accessToken))).body.status;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(status).toBe('completed');
    expect(peak.first).toBeLessThanOrEqual(LINKS_PER_PAGE);
    expect(peak.rows).toBeGreaterThan(LINKS_PER_PAGE);
    expect(peak.rows).toBeLessThanOrEqual(FRONTIER);
  }, 90000);

  it('deletes the never-fetched pages of a cancelled crawl', async () => {
    site.mazeDelayMs = 300;
    try {
      const src = await submit(app, user, { url: `${site.origin}/maze/1`, maxPages: MAX_PAGES });
      await waitFor(
        () => Promise.resolve(site.count('/maze/1-')),
        (n) => n >= 4,
        10000,
      );
      expect((await cancel(user, src.job.id)).status).toBe(200);
      const unfetched = () =>
        ds
          .query(`SELECT count(*)::int AS n FROM pages WHERE source_id = $1 AND fetched_at IS NULL`, [src.id])
          .then((r: { n: number }[]) => r[0].n);
      expect(await waitFor(unfetched, (n) => n === 0, 10000)).toBe(0);
      const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM pages WHERE source_id = $1`, [src.id]);
      expect(n).toBeGreaterThan(0);
    } finally {
      site.mazeDelayMs = 0;
    }
  }, 30000);
});
