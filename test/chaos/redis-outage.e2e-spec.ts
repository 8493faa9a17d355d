import { Client } from 'pg';
import { LoadClient, statusCounts, summarize } from '../support/load-client';
import { apiClient, NexcoreProcess, processEnv, startNexcore } from '../support/nexcore-process';
import { TestRedisServer } from '../support/redis-server';
import { recordReliability } from '../support/reliability-report';
import { TEST_DATABASE_URL } from '../support/test-env';
import { Receiver } from '../webhooks/receiver';
import { Actors, adminEnv, BATCH_SIZE, mixedRoutes, newTag, prepareActors, secs, servedReads } from './mixed-traffic';
import { deliveryReport, isolateWebhooksSql } from './webhook-checks';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const OUTAGE_MS = Number(process.env.CHAOS_REDIS_OUTAGE_MS ?? 20000);

/**
 * A private redis-server is killed for 20 s under mixed load against the built server (API and
 * worker in one process). The API keeps answering (cache bypassed, rate limiter open), readiness
 * says 503 meanwhile and 200 after; afterwards every feedback, webhook event and usage count the
 * clients were acknowledged is in the database, and every event reached the receiver.
 */
describe('chaos: Redis stopped for 20 s during load', () => {
  let redis: TestRedisServer;
  let server: NexcoreProcess | undefined;
  let receiver: Receiver;
  const db = new Client({ connectionString: TEST_DATABASE_URL });
  const tag = newTag();

  beforeAll(async () => {
    redis = await TestRedisServer.start();
    receiver = await Receiver.start();
    await db.connect();
    await isolateWebhooksSql(db);
    server = await startNexcore(
      processEnv({
        REDIS_URL: redis.url,
        APP_ROLE: 'all',
        ...adminEnv(tag),
        REDIS_COMMAND_TIMEOUT_MS: '300',
        DEFAULTS_USAGE_FLUSH_SECONDS: '1',
        API_KEY_LAST_USED_FLUSH_SECONDS: '1',
        WEBHOOK_RETRY_SCHEDULE: '0,1,1,2,5',
        WEBHOOK_TIMEOUT_MS: '1000',
        WEBHOOK_RELAY_INTERVAL_MS: '200',
      }),
    );
  });
  afterAll(async () => {
    server?.kill('SIGKILL');
    await db.query(`UPDATE webhook_endpoints SET enabled = false`).catch(() => undefined);
    await db.end();
    await receiver?.close();
    await redis?.stop();
  });

  it('keeps the API answering, reports not-ready, and loses no feedback, event or usage count', async () => {
    const actors: Actors = await prepareActors(server!.base, tag);
    const api = apiClient(server!.base);
    const { endpoint } = await api('/webhooks', {
      token: actors.admin,
      body: { url: receiver.url, events: ['feedback.received', 'defaults.changed'] },
      expect: 201,
    });

    const load = new LoadClient({
      base: server!.base,
      routes: mixedRoutes(actors),
      concurrency: 16,
      timeoutMs: 10000,
    }).start();
    await sleep(4000);
    const stoppedAt = Date.now();
    await redis.stop();
    await sleep(OUTAGE_MS);
    const startingAt = Date.now();
    await redis.start();
    let readyAt = 0;
    while (!readyAt && Date.now() - startingAt < 30000) {
      await sleep(100);
      const recent = load.outcomes.filter(
        (o) => o.route === 'health-ready' && o.start > startingAt && o.status === 200,
      );
      if (recent.length) readyAt = recent[0].end;
    }
    await sleep(4000);
    const outcomes = await load.stop();

    const during = outcomes.filter((o) => o.start > stoppedAt && o.end < startingAt);
    process.stdout.write(
      `\n[chaos/redis-outage] Redis down ${secs(startingAt - stoppedAt)} s\nwhole run:\n${summarize(outcomes)}\nwhile down:\n${summarize(during)}\n`,
    );

    // The API kept answering: no dropped connection, no 5xx except readiness telling the truth.
    expect(outcomes.filter((o) => o.status === 0)).toEqual([]);
    const bad = outcomes.filter((o) => o.status >= 500 && o.route !== 'health-ready');
    if (bad.length)
      process.stdout.write(`server errors:\n${server!.errorsOf(bad.map((o) => o.requestId)).join('\n')}\n`);
    expect(bad.map((o) => `${o.route} ${o.status} ${o.body}`)).toEqual([]);
    expect(outcomes.filter((o) => o.route !== 'health-ready' && o.status >= 300)).toEqual([]);
    const apiDuring = during.filter((o) => o.route !== 'health-ready');
    expect(apiDuring.length).toBeGreaterThan(100);
    const slowest = Math.max(...apiDuring.map((o) => o.end - o.start));

    // Readiness: 503 once the outage is noticed (within a second), 200 again after.
    const readyDuring = during.filter((o) => o.route === 'health-ready' && o.start > stoppedAt + 1000);
    expect(readyDuring.length).toBeGreaterThan(5);
    expect(readyDuring.filter((o) => o.status !== 503)).toEqual([]);
    expect(readyAt).toBeGreaterThan(0);
    expect(outcomes.filter((o) => o.route === 'health-ready' && o.start > readyAt + 500 && o.status !== 200)).toEqual(
      [],
    );

    // Every acknowledged feedback is stored; every event (feedback + defaults changes) reaches the
    // receiver, each under a single webhook-id. Jobs queued in the Redis that was lost are found
    // again by the relay once their delivery is overdue (see requeueStale).
    const acknowledged = outcomes
      .filter((o) => o.route === 'feedback' && o.status === 201)
      .map((o) => `${tag} #${o.n}`);
    const stored = (
      await db.query<{ message: string }>(`SELECT message FROM feedback WHERE message LIKE $1`, [`${tag} #%`])
    ).rows.map((r) => r.message);
    expect(new Set(stored)).toEqual(new Set(acknowledged));
    const writes =
      outcomes.filter((o) => o.route === 'defaults-write' && o.status < 300).length +
      BATCH_SIZE * outcomes.filter((o) => o.route === 'defaults-batch' && o.status === 200).length;
    const expectedEvents = acknowledged.length + writes;
    // Events of the load (feedback messages and written keys carry `<tag> #n` / `<tag>.w|b.`), not
    // the setup write of the read key, which may or may not reach the endpoint created after it.
    const underLoad = `"${tag}( #|\\.w\\.|\\.b\\.)`;
    const settleStart = Date.now();
    let report = await deliveryReport(db, endpoint.id, receiver, underLoad);
    while ((report.events < expectedEvents || report.missing.length) && Date.now() - settleStart < 60000) {
      await sleep(500);
      report = await deliveryReport(db, endpoint.id, receiver, underLoad);
    }
    const settled = secs(Date.now() - settleStart);
    process.stdout.write(
      `webhooks: ${JSON.stringify({ ...report, missing: report.missing.length, expectedEvents, settledAfterS: settled })}\n`,
    );
    expect(report.events).toBe(expectedEvents);
    expect(report.missing).toEqual([]);
    expect(report.inconsistent).toEqual([]);

    // Usage counts: a graceful stop flushes what is still in memory, then compare.
    const exit = await server!.stop();
    expect(exit.code).toBe(0);
    const [{ usage }] = (
      await db.query(`SELECT usage_count::int AS usage FROM default_values WHERE key = $1`, [actors.readKey])
    ).rows;
    expect(usage).toBe(servedReads(outcomes));
    const lastKeyUse = Math.max(
      ...outcomes.filter((o) => o.route === 'feedback' && o.status === 201).map((o) => o.start),
    );
    const [{ at }] = (await db.query(`SELECT last_used_at AS at FROM api_keys WHERE id = $1`, [actors.apiKeyId])).rows;
    expect((at as Date).getTime()).toBeGreaterThanOrEqual(lastKeyUse - 5);

    recordReliability({
      scenario: 'chaos/redis-outage',
      checks: `Redis killed ${secs(OUTAGE_MS)} s under mixed load (16 clients, API + worker process): API keeps answering (cache bypass, limiter fails open), readiness 503 then 200; no feedback, webhook event or usage count lost`,
      figure: `${apiDuring.length} API requests while down, all 2xx (slowest ${slowest} ms), 0 x 5xx, 0 socket errors; ready again ${secs(readyAt - startingAt)} s after Redis restarted; ${acknowledged.length}/${acknowledged.length} feedback stored, ${report.events}/${expectedEvents} events, ${report.deliveries - report.missing.length}/${report.deliveries} delivered (${report.duplicates} redeliveries, all within ${settled} s of the load's end); usage ${usage}/${servedReads(outcomes)}; statuses ${JSON.stringify(statusCounts(outcomes))}`,
    });
  }, 180000);
});
