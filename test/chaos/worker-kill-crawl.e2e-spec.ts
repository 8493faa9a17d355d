import { Client } from 'pg';
import { CRAWL_TEST_ENV } from '../ingestion/helpers';
import { FixtureSite } from '../ingestion/fixture-site';
import { apiClient, Json, NexcoreProcess, processEnv, signIn, startNexcore } from '../support/nexcore-process';
import { recordReliability } from '../support/reliability-report';
import { waitFor } from '../support/redis-server';
import { TEST_DATABASE_URL } from '../support/test-env';
import { secs } from './mixed-traffic';

const PAGES = 30;

/**
 * The API (`node dist/main.js`, APP_ROLE=api) and the crawl worker (`node dist/main.js worker`)
 * run as separate processes; the worker is killed with SIGKILL mid-crawl. The job stays
 * "running" until its lock expires, then a newly started worker resumes it to a clear end, with
 * no page or chunk stored twice.
 */
describe('chaos: crawl worker killed with SIGKILL mid-crawl', () => {
  let site: FixtureSite;
  let api: NexcoreProcess | undefined;
  const workers: NexcoreProcess[] = [];
  const db = new Client({ connectionString: TEST_DATABASE_URL });
  const env = processEnv({ ...CRAWL_TEST_ENV });

  beforeAll(async () => {
    site = await new FixtureSite().start();
    site.manyDelayMs = 120;
    await db.connect();
    api = await startNexcore({ ...env, APP_ROLE: 'api' });
  });
  afterAll(async () => {
    for (const p of [api, ...workers]) p?.kill('SIGKILL');
    await db.end();
    await site.stop();
  });

  it('leaves no duplicate pages or chunks, and the job is resumed by another worker to a clear end', async () => {
    const token = await signIn(api!.base);
    const call = apiClient(api!.base);
    workers.push(await startNexcore(env, { worker: true }));
    const src = await call('/sources', {
      token,
      body: { url: `${site.origin}/many/0`, maxPages: PAGES, includePaths: ['/many'] },
      expect: 202,
    });
    const job = () => call(`/ingestion-jobs/${src.job.id}`, { token });
    const mid = await waitFor(job, (j: Json) => j.counters?.indexed >= 5, 30000);
    expect(mid.status).toBe('running');
    workers[0].kill('SIGKILL');
    const killedAt = Date.now();
    expect((await workers[0].done).signal).toBe('SIGKILL');
    // Nothing consumes now: the job is still "running" with a lock that will expire.
    const frozen = await job();
    expect(frozen.status).toBe('running');
    expect(frozen.counters.indexed).toBeLessThan(PAGES);

    workers.push(await startNexcore(env, { worker: true }));
    const restartedAt = Date.now();
    const end = await waitFor(job, (j: Json) => ['completed', 'failed', 'cancelled'].includes(j.status), 45000);
    const doneAt = Date.now();
    expect(end.status).toBe('completed');
    expect(end.counters).toMatchObject({ fetched: PAGES, indexed: PAGES });
    expect(end.attempts).toBeGreaterThanOrEqual(2);

    const [pages] = (
      await db.query(
        `SELECT count(*)::int AS n, count(DISTINCT url)::int AS urls, count(*) FILTER (WHERE fetched_at IS NOT NULL)::int AS fetched FROM pages WHERE source_id = $1`,
        [src.id],
      )
    ).rows;
    expect(pages).toEqual({ n: PAGES, urls: PAGES, fetched: PAGES });
    const dupChunks = (
      await db.query(`SELECT page_id, position FROM chunks WHERE source_id = $1 GROUP BY 1, 2 HAVING count(*) > 1`, [
        src.id,
      ])
    ).rows;
    expect(dupChunks).toEqual([]);
    const [{ n, chunks }] = (
      await db.query(
        `SELECT count(DISTINCT page_id)::int AS n, count(*)::int AS chunks FROM chunks WHERE source_id = $1`,
        [src.id],
      )
    ).rows;
    expect(n).toBe(PAGES);

    process.stdout.write(
      `\n[chaos/worker-kill-crawl] killed at ${mid.counters.indexed}/${PAGES} indexed; resumed and completed ${secs(doneAt - restartedAt)} s after the new worker started (${secs(doneAt - killedAt)} s after the kill), attempts ${end.attempts}\n`,
    );
    recordReliability({
      scenario: 'chaos/worker-kill-crawl',
      checks: `crawl worker process SIGKILLed mid-crawl (API separate): job resumed by a new worker to completed; no duplicate page or chunk (DB)`,
      figure: `killed at ${frozen.counters.indexed}/${PAGES} pages indexed; completed ${secs(doneAt - restartedAt)} s after a new worker started (stalled-lock interval ${CRAWL_TEST_ENV.INGESTION_STALLED_INTERVAL_MS} ms), attempts ${end.attempts}; ${PAGES} pages, ${chunks} chunks, 0 duplicates`,
    });
  }, 120000);
});
