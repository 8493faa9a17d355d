import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DataSource } from 'typeorm';
import { bearer, bootAuthApp, createUser, http, TestUser } from '../support/auth';
import { FixtureSite } from './fixture-site';
import { CRAWL_TEST_ENV, submit, waitForJob } from './helpers';

describe('ingestion crawl (fixture site on 127.0.0.1)', () => {
  let app: NestFastifyApplication;
  let site: FixtureSite;
  let user: TestUser;
  let ds: DataSource;
  const events: { name: string; payload: Record<string, unknown> }[] = [];

  beforeAll(async () => {
    site = await new FixtureSite().start();
    app = await bootAuthApp(CRAWL_TEST_ENV);
    ds = app.get(DataSource);
    user = await createUser(app);
    const bus = app.get(EventEmitter2);
    bus.on('ingestion.completed', (payload) => events.push({ name: 'ingestion.completed', payload }));
    bus.on('ingestion.failed', (payload) => events.push({ name: 'ingestion.failed', payload }));
  });
  afterAll(async () => {
    await app.close();
    await site.stop();
  });

  const pagesOf = async (sourceId: string) =>
    (await http(app).get(`/api/v1/sources/${sourceId}/pages?limit=200`).set(bearer(user.accessToken))).body.items as {
      url: string;
      status: string;
      skipReason: string | null;
      httpStatus: number | null;
      error: string | null;
    }[];
  const byPath = <T extends { url: string }>(pages: T[]) => new Map(pages.map((p) => [new URL(p.url).pathname, p]));

  let fullSourceId = '';

  it('crawls the site: indexes pages once, skips robots/type/size/duplicates, records failures, and emits ingestion.completed', async () => {
    const src = await submit(app, user, { url: `${site.origin}/`, maxPages: 50 });
    expect(src.job.status).toBe('queued');
    fullSourceId = src.id;
    const job = await waitForJob(app, user, src.job.id);
    expect(job.status).toBe('completed');
    const pages = byPath(await pagesOf(src.id));
    for (const p of ['/', '/a', '/b', '/a/deep1', '/a/deep2', '/fr']) expect(pages.get(p)?.status).toBe('indexed');
    expect(pages.get('/private/secret')).toMatchObject({ status: 'skipped', skipReason: 'robots' });
    expect(pages.get('/file.pdf')).toMatchObject({ status: 'skipped', skipReason: 'type' });
    expect(pages.get('/huge')).toMatchObject({ status: 'skipped', skipReason: 'size' });
    expect(pages.get('/broken')).toMatchObject({ status: 'failed', httpStatus: 500 });
    expect(pages.get('/slow')?.status).toBe('failed');
    expect(site.hits.get('/private/secret')).toBeUndefined();
    // /dup1 and /dup2 have the same content: one is indexed, the other skipped as a duplicate.
    expect([pages.get('/dup1')?.status, pages.get('/dup2')?.status].sort()).toEqual(['indexed', 'skipped']);
    // The redirect is followed; the page is indexed under the URL that was linked.
    expect(pages.get('/old')?.status).toBe('indexed');
    // Fragments and tracking parameters fold into one URL; the off-domain link is never queued.
    expect([...pages.keys()].filter((p) => p === '/')).toHaveLength(1);
    expect(site.hits.get('/')).toBe(1);
    expect(site.hits.get('/a')).toBe(1);
    expect([...pages.values()].some((p) => p.url.includes('other.invalid'))).toBe(false);
    expect(job.counters).toMatchObject({
      indexed: 8,
      skipped: expect.objectContaining({ robots: 1, duplicate: 1, type: 1, size: 1, error: 2 }),
    });

    const dupes = await ds.query(`SELECT page_id, position, count(*) FROM chunks GROUP BY 1, 2 HAVING count(*) > 1`);
    expect(dupes).toEqual([]);
    const ev = events.find((e) => e.payload.jobId === src.job.id);
    expect(ev).toMatchObject({
      name: 'ingestion.completed',
      payload: { sourceId: src.id, userId: user.id, counters: expect.objectContaining({ indexed: 8 }) },
    });
  });

  it('indexes chunks with a weighted tsvector in the page language (French page → french config)', async () => {
    const [fr] = await ds.query(`SELECT lang, ts_config FROM pages WHERE source_id = $1 AND url LIKE '%/fr'`, [
      fullSourceId,
    ]);
    expect(fr).toEqual({ lang: 'fr', ts_config: 'french' });
    // French stemming: "fromage" finds "fromages" only with the french configuration.
    const hits = await ds.query(
      `SELECT url FROM chunks WHERE source_id = $1 AND tsv @@ to_tsquery('french', 'fromage')`,
      [fullSourceId],
    );
    expect(hits.map((h: { url: string }) => new URL(h.url).pathname)).toEqual(['/fr']);
    // Title words (weight A) rank above the same word in body text (weight C).
    const [w] = await ds.query(
      `SELECT tsv::text AS t FROM chunks WHERE source_id = $1 AND url LIKE '%/a' ORDER BY position LIMIT 1`,
      [fullSourceId],
    );
    expect(w.t).toMatch(/'guid':\d+A/);
    expect(w.t).toMatch(/'instal':\d+B/);
    const [{ n }] = await ds.query(
      `SELECT count(*)::int AS n FROM chunks WHERE source_id = $1 AND text ILIKE '%footer text%'`,
      [fullSourceId],
    );
    expect(n).toBe(0);
  });

  it('recrawl: unchanged pages are not re-indexed, a changed page is', async () => {
    const before: { id: string; url: string }[] = await ds.query(
      `SELECT c.id, c.url FROM chunks c WHERE c.source_id = $1`,
      [fullSourceId],
    );
    site.bChanged = true;
    const res = await http(app).post(`/api/v1/sources/${fullSourceId}/recrawl`).set(bearer(user.accessToken));
    expect(res.status).toBe(202);
    const job = await waitForJob(app, user, res.body.id);
    expect(job.status).toBe('completed');
    expect(job.counters.indexed).toBe(1);
    expect(job.counters.unchanged).toBe(7);
    const after: { id: string; url: string }[] = await ds.query(
      `SELECT c.id, c.url FROM chunks c WHERE c.source_id = $1`,
      [fullSourceId],
    );
    const keep = (rows: { id: string; url: string }[]) =>
      rows
        .filter((r) => !r.url.endsWith('/b'))
        .map((r) => r.id)
        .sort();
    expect(keep(after)).toEqual(keep(before));
    const [b] = await ds.query(`SELECT text FROM chunks WHERE source_id = $1 AND url LIKE '%/b'`, [fullSourceId]);
    expect(b.text).toContain('changed beta');
  });

  it('honours maxPages exactly and maxDepth', async () => {
    const limited = await submit(app, user, { url: `${site.origin}/many/0`, maxPages: 7, includePaths: ['/many'] });
    const job = await waitForJob(app, user, limited.job.id);
    expect(job).toMatchObject({ status: 'completed', counters: expect.objectContaining({ fetched: 7, indexed: 7 }) });
    const [{ n }] = await ds.query(
      `SELECT count(*)::int AS n FROM pages WHERE source_id = $1 AND fetched_at IS NOT NULL`,
      [limited.id],
    );
    expect(n).toBe(7);

    const shallow = await submit(app, user, { url: `${site.origin}/`, maxDepth: 1, maxPages: 50 });
    await waitForJob(app, user, shallow.job.id);
    const paths = [...byPath(await pagesOf(shallow.id)).keys()];
    expect(paths).toContain('/a');
    expect(paths).not.toContain('/a/deep1');
  });

  it('streams progress over SSE until the job ends', async () => {
    const src = await submit(app, user, { url: `${site.origin}/many/0`, maxPages: 5 });
    const res = await http(app)
      .get(`/api/v1/ingestion-jobs/${src.job.id}/events`)
      .set(bearer(user.accessToken))
      .buffer(true)
      .parse((r, cb) => {
        let data = '';
        r.on('data', (c: Buffer) => (data += c.toString()));
        r.on('end', () => cb(null, data));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/event-stream/);
    const body = res.body as string;
    const end = /event: end\ndata: (.*)\n/.exec(body);
    expect(JSON.parse(end![1])).toMatchObject({ id: src.job.id, status: 'completed' });
  });

  it('cancel stops fetching', async () => {
    site.manyDelayMs = 300;
    try {
      const src = await submit(app, user, { url: `${site.origin}/many/100`, maxPages: 200 });
      await new Promise((r) => setTimeout(r, 1200));
      const res = await http(app).post(`/api/v1/ingestion-jobs/${src.job.id}/cancel`).set(bearer(user.accessToken));
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('cancelled');
      await new Promise((r) => setTimeout(r, 1500));
      const count = () => [...site.hits.keys()].filter((k) => /^\/many\/1\d\d$/.test(k)).length;
      const atCancel = count();
      await new Promise((r) => setTimeout(r, 1500));
      expect(count()).toBe(atCancel);
      const job = await waitForJob(app, user, src.job.id);
      expect(job.status).toBe('cancelled');
      expect(job.counters.fetched).toBeLessThan(30);
    } finally {
      site.manyDelayMs = 0;
    }
  });

  it("keeps sources, pages and jobs private: another user's ids answer 404", async () => {
    const other = await createUser(app);
    const [job] = await ds.query(`SELECT last_job_id AS id FROM sources WHERE id = $1`, [fullSourceId]);
    const h = bearer(other.accessToken);
    expect((await http(app).get(`/api/v1/sources/${fullSourceId}`).set(h)).status).toBe(404);
    expect((await http(app).get(`/api/v1/sources/${fullSourceId}/pages`).set(h)).status).toBe(404);
    expect((await http(app).post(`/api/v1/sources/${fullSourceId}/recrawl`).set(h)).status).toBe(404);
    expect((await http(app).delete(`/api/v1/sources/${fullSourceId}`).set(h)).status).toBe(404);
    expect((await http(app).get(`/api/v1/ingestion-jobs/${job.id}`).set(h)).status).toBe(404);
    expect((await http(app).post(`/api/v1/ingestion-jobs/${job.id}/cancel`).set(h)).status).toBe(404);
    expect((await http(app).get(`/api/v1/sources`).set(h)).body).toEqual([]);
    const mine = await http(app).get(`/api/v1/sources/${fullSourceId}`).set(bearer(user.accessToken));
    expect(mine.body).toMatchObject({
      id: fullSourceId,
      counts: { pages: expect.objectContaining({ indexed: expect.any(Number) }) },
    });
  });

  it('rejects bad input with 400 and deletes a source with its pages and chunks', async () => {
    const h = bearer(user.accessToken);
    for (const body of [
      { url: 'ftp://example.com/' },
      { url: 'not a url' },
      { url: 'http://x.test/', maxPages: 0 },
      { url: 'http://x.test/', maxPages: 10 ** 6 },
      { url: 'http://x.test/', includePaths: ['nope'] },
    ]) {
      expect((await http(app).post('/api/v1/sources').set(h).send(body)).status).toBe(400);
    }
    expect((await http(app).delete(`/api/v1/sources/${fullSourceId}`).set(h)).status).toBe(204);
    const [{ n }] = await ds.query(
      `SELECT (SELECT count(*) FROM pages WHERE source_id = $1) + (SELECT count(*) FROM chunks WHERE source_id = $1) AS n`,
      [fullSourceId],
    );
    expect(Number(n)).toBe(0);
  });

  it("includes the user's sources, pages and chunks in the privacy export", async () => {
    const res = await http(app).get('/api/v1/auth/me/export').set(bearer(user.accessToken));
    expect(res.status).toBe(200);
    expect(res.body.ingestion.sources.length).toBeGreaterThan(0);
    expect(res.body.ingestion.pages.length).toBeGreaterThan(0);
    expect(res.body.ingestion.chunks.length).toBeGreaterThan(0);
  });
});
