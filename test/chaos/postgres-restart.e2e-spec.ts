import { Client } from 'pg';
import { LoadClient, Outcome, statusCounts, summarize } from '../support/load-client';
import { NexcoreProcess, processEnv, startNexcore } from '../support/nexcore-process';
import { TestPostgresServer } from '../support/postgres-server';
import { recordReliability } from '../support/reliability-report';
import { Actors, adminEnv, BATCH_SIZE, mixedRoutes, newTag, prepareActors, secs, servedReads } from './mixed-traffic';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const DOWN_MS = Number(process.env.CHAOS_PG_DOWN_MS ?? 6000);

/**
 * Postgres (a private cluster on its own port) is stopped and started again under mixed load
 * against the built server. While it is down every request that needs it answers 503
 * problem+json quickly; afterwards everything works again without restarting nexcore, and no
 * batch is half-written, no acknowledged feedback or usage count is missing.
 */
describe('chaos: Postgres restarted during load', () => {
  let pg: TestPostgresServer;
  let server: NexcoreProcess | undefined;
  let db: Client;
  const tag = newTag();

  beforeAll(async () => {
    pg = await TestPostgresServer.start();
    const url = await pg.createDatabase('nexcore');
    server = await startNexcore(
      processEnv({
        DATABASE_URL: url,
        DB_MIGRATIONS_RUN: 'true',
        ...adminEnv(tag),
        DEFAULTS_USAGE_FLUSH_SECONDS: '1',
        API_KEY_LAST_USED_FLUSH_SECONDS: '1',
        DB_POOL_SIZE: '10',
      }),
      { timeoutMs: 60000 },
    );
    db = new Client({ connectionString: url });
  });
  afterAll(async () => {
    server?.kill('SIGKILL');
    await db?.end().catch(() => undefined);
    await pg?.destroy();
  });

  it('answers 503 problem+json while the database is down, recovers by itself, loses and half-writes nothing', async () => {
    const actors: Actors = await prepareActors(server!.base, tag);
    const load = new LoadClient({
      base: server!.base,
      routes: mixedRoutes(actors),
      concurrency: 16,
      timeoutMs: 10000,
    }).start();
    await sleep(3000);

    const downAt = Date.now();
    await pg.stop();
    const stoppedAt = Date.now();
    await sleep(DOWN_MS);
    const startingAt = Date.now();
    await pg.start();
    const upAt = Date.now();
    // Recovery: the first moment after the restart from which every route answers 2xx.
    let recoveredAt = 0;
    while (!recoveredAt && Date.now() - upAt < 30000) {
      await sleep(200);
      const recent = load.outcomes.filter((o) => o.start > Date.now() - 1000);
      if (recent.length > 20 && recent.every((o) => o.status >= 200 && o.status < 300)) recoveredAt = recent[0].start;
    }
    await sleep(3000);
    const outcomes = await load.stop();

    const during = outcomes.filter((o) => o.start > stoppedAt && o.end < startingAt);
    const after = outcomes.filter((o) => recoveredAt && o.start > recoveredAt);
    process.stdout.write(
      `\n[chaos/postgres-restart] down ${secs(upAt - downAt)} s\nwhole run:\n${summarize(outcomes)}\nwhile down:\n${summarize(during)}\n`,
    );

    // Never a hang, a dropped connection, or a 500: only 2xx, 4xx by design, or 503 problem+json.
    expect(outcomes.filter((o) => o.status === 0)).toEqual([]);
    const bad = outcomes.filter((o) => o.status >= 500 && o.status !== 503);
    if (bad.length)
      process.stdout.write(`server errors:\n${server!.errorsOf(bad.map((o) => o.requestId)).join('\n')}\n`);
    expect(bad.map((o) => `${o.route} ${o.status} ${o.body}`)).toEqual([]);
    const unavailable = outcomes.filter((o) => o.status === 503);
    for (const o of unavailable) {
      expect(o.contentType).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(o.body!)).toMatchObject({ status: 503 });
    }
    const slowest = Math.max(...during.map((o) => o.end - o.start));
    expect(slowest).toBeLessThan(6000);
    // The outage was seen: writes and readiness failed while the database was down.
    expect(during.filter((o) => o.route === 'defaults-write' && o.status === 503).length).toBeGreaterThan(0);
    expect(during.filter((o) => o.route === 'health-ready').every((o) => o.status === 503)).toBe(true);
    expect(
      during.filter((o) => ['defaults-write', 'defaults-batch', 'feedback'].includes(o.route) && o.status < 300),
    ).toEqual([]);

    expect(recoveredAt).toBeGreaterThan(0);
    expect(after.length).toBeGreaterThan(50);
    expect(after.filter((o) => o.status >= 300)).toEqual([]);

    // A graceful stop flushes the in-memory counters; then count in the database itself.
    const exit = await server!.stop();
    expect(exit.code).toBe(0);
    await db.connect();
    await expectNoHalfBatch(db, actors, outcomes);
    await expectFeedbackKept(db, actors, outcomes);
    const [{ usage }] = (
      await db.query(`SELECT usage_count::int AS usage FROM default_values WHERE key = $1`, [actors.readKey])
    ).rows;
    expect(usage).toBe(servedReads(outcomes));

    recordReliability({
      scenario: 'chaos/postgres-restart',
      checks: `Postgres stopped ${secs(DOWN_MS)} s under mixed load (16 clients): only 503 problem+json meanwhile, no 500/hang; recovers without restart; batches all-or-nothing; acknowledged feedback and usage counts all in the database`,
      figure: `${outcomes.length} requests, ${unavailable.length} x 503, 0 x 500, 0 socket errors; slowest answer while down ${slowest} ms; all routes 2xx ${secs(recoveredAt - startingAt)} s after Postgres was started again; statuses ${JSON.stringify(statusCounts(outcomes))}`,
    });
  }, 120000);
});

async function expectNoHalfBatch(db: Client, a: Actors, outcomes: Outcome[]): Promise<void> {
  const { rows } = await db.query<{ n: string; rows: number }>(
    `SELECT split_part(key, '.', 3) AS n, count(*)::int AS rows FROM default_values WHERE key LIKE $1 GROUP BY 1`,
    [`${a.tag}.b.%`],
  );
  const stored = new Map(rows.map((r) => [Number(r.n), r.rows]));
  for (const [, count] of stored) expect(count).toBe(BATCH_SIZE);
  const batches = outcomes.filter((o) => o.route === 'defaults-batch');
  for (const o of batches.filter((b) => b.status === 200)) expect(stored.get(o.n)).toBe(BATCH_SIZE);
  // Only an acknowledged batch, or one whose answer was a 5xx (the commit may have raced the
  // outage), can have rows; a 4xx never writes.
  expect(stored.size).toBeLessThanOrEqual(batches.filter((b) => b.status === 200 || b.status >= 500).length);
}

async function expectFeedbackKept(db: Client, a: Actors, outcomes: Outcome[]): Promise<void> {
  const sent = outcomes.filter((o) => o.route === 'feedback');
  const acknowledged = new Set(sent.filter((o) => o.status === 201).map((o) => `${a.tag} #${o.n}`));
  const { rows } = await db.query<{ message: string; events: number }>(
    `SELECT f.message, (SELECT count(*)::int FROM webhook_outbox o WHERE o.data->>'id' = f.id::text) AS events
       FROM feedback f WHERE f.message LIKE $1`,
    [`${a.tag} #%`],
  );
  const stored = new Set(rows.map((r) => r.message));
  for (const m of acknowledged) expect(stored.has(m)).toBe(true);
  // Each stored feedback has exactly its one outbox event (same transaction).
  expect(rows.filter((r) => r.events !== 1)).toEqual([]);
  expect(stored.size).toBeLessThanOrEqual(sent.filter((o) => o.status === 201 || o.status >= 500).length);
}
