import './api-role';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { bearer, bootAuthApp, createUser, http, TestUser } from '../support/auth';
import { startServer } from '../support/process';
import { waitFor } from '../support/redis-server';
import { FixtureSite } from './fixture-site';
import { CRAWL_TEST_ENV, submit, waitForJob } from './helpers';

/** The crawl worker as a separate process (`node dist/main.js worker`), sharing this file's Postgres and Redis prefix. */
function startWorker() {
  const pass = ['NODE_ENV', 'DATABASE_URL', 'REDIS_URL', 'REDIS_KEY_PREFIX', 'JWT_SECRET', 'DB_MIGRATIONS_RUN'];
  const env: Record<string, string> = { LOG_LEVEL: 'warn', APP_ROLE: 'worker', ...CRAWL_TEST_ENV };
  for (const k of pass) env[k] = process.env[k]!;
  return startServer(env, ['worker']);
}

describe('a crawl worker killed with SIGKILL mid-crawl', () => {
  let app: NestFastifyApplication;
  let site: FixtureSite;
  let user: TestUser;
  const workers: ReturnType<typeof startWorker>[] = [];

  beforeAll(async () => {
    site = await new FixtureSite().start();
    site.manyDelayMs = 120;
    app = await bootAuthApp({ ...CRAWL_TEST_ENV, APP_ROLE: 'api' });
    user = await createUser(app);
  });
  afterAll(async () => {
    for (const w of workers) if (w.proc.exitCode === null && w.proc.signalCode === null) w.proc.kill('SIGKILL');
    await app.close();
    await site.stop();
  });

  it('leaves no duplicate pages or chunks, and the job is resumed by another worker to a clear end', async () => {
    const first = startWorker();
    workers.push(first);
    const src = await submit(app, user, { url: `${site.origin}/many/0`, maxPages: 30, includePaths: ['/many'] });
    const job = () => http(app).get(`/api/v1/ingestion-jobs/${src.job.id}`).set(bearer(user.accessToken));
    const mid = await waitFor(job, (r) => r.body.counters?.indexed >= 5, 30000);
    expect(mid.body.status).toBe('running');
    first.proc.kill('SIGKILL');
    await first.done;
    // Nothing consumes now: the job is still "running" with a lock that will expire.
    const frozen = (await job()).body;
    expect(frozen.status).toBe('running');
    expect(frozen.counters.indexed).toBeLessThan(30);

    workers.push(startWorker());
    const end = await waitForJob(app, user, src.job.id, 45000);
    expect(end.status).toBe('completed');
    expect(end.counters).toMatchObject({ fetched: 30, indexed: 30 });
    expect((await job()).body.attempts).toBeGreaterThanOrEqual(2);

    const ds = app.get(DataSource);
    const [pages] = await ds.query(`SELECT count(*)::int AS n, count(DISTINCT url)::int AS urls, count(*) FILTER (WHERE fetched_at IS NOT NULL)::int AS fetched FROM pages WHERE source_id = $1`, [src.id]);
    expect(pages).toEqual({ n: 30, urls: 30, fetched: 30 });
    const dupChunks = await ds.query(`SELECT page_id, position FROM chunks WHERE source_id = $1 GROUP BY 1, 2 HAVING count(*) > 1`, [src.id]);
    expect(dupChunks).toEqual([]);
    const [{ n }] = await ds.query(`SELECT count(DISTINCT page_id)::int AS n FROM chunks WHERE source_id = $1`, [src.id]);
    expect(n).toBe(30);
  }, 90000);
});
