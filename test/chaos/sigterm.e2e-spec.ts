import { Client } from 'pg';
import { LoadClient, statusCounts, summarize } from '../support/load-client';
import { NexcoreProcess, processEnv, startNexcore } from '../support/nexcore-process';
import { recordReliability } from '../support/reliability-report';
import { TEST_DATABASE_URL } from '../support/test-env';
import { Actors, adminEnv, mixedRoutes, newTag, prepareActors, servedReads } from './mixed-traffic';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const GRACE_MS = 8000;
const BIG_BATCH = 1000;

/**
 * SIGTERM to the built server under mixed load, with large batches in flight: they complete and
 * are committed, requests arriving afterwards are refused (503 on a closing keep-alive
 * connection, or connection refused), counters recorded by the last requests are flushed, and
 * the process exits 0 within SHUTDOWN_GRACE_MS. (test/shutdown.e2e-spec.ts covers the in-process
 * close; this is the real signal path of main.ts.)
 */
describe('chaos: SIGTERM during load', () => {
  let server: NexcoreProcess | undefined;
  const db = new Client({ connectionString: TEST_DATABASE_URL });
  const tag = newTag();

  beforeAll(async () => {
    await db.connect();
    server = await startNexcore(
      processEnv({
        LOG_LEVEL: process.env.CHAOS_LOG_LEVEL ?? 'warn',
        APP_ROLE: 'api',
        SHUTDOWN_GRACE_MS: String(GRACE_MS),
        ...adminEnv(tag),
        DEFAULTS_USAGE_FLUSH_SECONDS: '3600',
        API_KEY_LAST_USED_FLUSH_SECONDS: '3600',
      }),
    );
  });
  afterAll(async () => {
    server?.kill('SIGKILL');
    await db.end();
  });

  it('finishes in-flight requests, refuses new ones, flushes counters and exits 0 within the grace period', async () => {
    const actors: Actors = await prepareActors(server!.base, tag);
    const load = new LoadClient({
      base: server!.base,
      routes: mixedRoutes(actors),
      concurrency: 16,
      timeoutMs: 10000,
    }).start();
    await sleep(3000);

    // Large all-or-nothing batches (hundreds of ms each) that are surely in flight at the signal.
    const big = [0, 1, 2].map(async (b) => {
      const res = await fetch(`${server!.base}/api/v1/defaults/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${actors.admin}` },
        body: JSON.stringify({
          items: Array.from({ length: BIG_BATCH }, (_, i) => ({ op: 'upsert', key: `${tag}.big.${b}.${i}`, value: i })),
        }),
      });
      return { status: res.status, end: Date.now() };
    });
    await sleep(120);
    const signalAt = Date.now();
    server!.kill('SIGTERM');
    const exit = await server!.done;
    const exitedAt = Date.now();
    const bigResults = await Promise.all(big);
    // Keep knocking for a while after the exit: nothing may be served any more.
    await sleep(Math.max(300, signalAt + 2000 - Date.now()));
    const outcomes = await load.stop();
    process.stdout.write(
      `\n[chaos/sigterm] exit ${exit.code} after ${exitedAt - signalAt} ms\n${summarize(outcomes)}\nbig batches: ${JSON.stringify(bigResults.map((r) => ({ status: r.status, afterSignalMs: r.end - signalAt })))}\n`,
    );

    expect(exit.code).toBe(0);
    expect(exitedAt - signalAt).toBeLessThan(GRACE_MS);
    expect(exit.stdout + exit.stderr).not.toMatch(/shutdown exceeded|error during shutdown/);

    // In flight at the signal: answered in full and committed.
    expect(bigResults.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(bigResults.some((r) => r.end > signalAt)).toBe(true);
    const [{ n }] = (
      await db.query(`SELECT count(*)::int AS n FROM default_values WHERE key LIKE $1`, [`${tag}.big.%`])
    ).rows;
    expect(n).toBe(3 * BIG_BATCH);
    // ...with one defaults.changed webhook event per item, none lost.
    const [{ events }] = (
      await db.query(
        `SELECT count(*)::int AS events FROM webhook_outbox WHERE event_type = 'defaults.changed' AND data->>'key' LIKE $1`,
        [`${tag}.big.%`],
      )
    ).rows;
    expect(events).toBe(3 * BIG_BATCH);

    // Before the signal every request succeeded; a request that was already being served when it
    // came finished normally (never a reset); after it, nothing new was served.
    const before = outcomes.filter((o) => o.end < signalAt);
    expect(before.filter((o) => o.status < 200 || o.status >= 300)).toEqual([]);
    const inFlight = outcomes.filter((o) => o.start < signalAt && o.end >= signalAt);
    expect(inFlight.filter((o) => o.status === 0)).toEqual([]);
    expect(inFlight.filter((o) => o.status !== 503 && (o.status < 200 || o.status >= 300))).toEqual([]);
    // A second of slack: the signal handler runs once the event loop gets to it, and the large
    // batches keep it busy.
    const late = outcomes.filter((o) => o.start > signalAt + 1000);
    expect(late.length).toBeGreaterThan(0);
    expect(late.filter((o) => o.status >= 200 && o.status < 500)).toEqual([]);
    const refused = late.filter((o) => o.status === 0).length;
    const closing503 = outcomes.filter((o) => o.status === 503).length;

    // Counters of the last requests were flushed at exit (both intervals are an hour here).
    const [{ usage }] = (
      await db.query(`SELECT usage_count::int AS usage FROM default_values WHERE key = $1`, [actors.readKey])
    ).rows;
    expect(usage).toBe(servedReads(outcomes));
    const lastKeyUse = Math.max(
      ...outcomes.filter((o) => o.route === 'feedback' && o.status === 201).map((o) => o.start),
    );
    const [{ at }] = (await db.query(`SELECT last_used_at AS at FROM api_keys WHERE id = $1`, [actors.apiKeyId])).rows;
    expect((at as Date).getTime()).toBeGreaterThanOrEqual(lastKeyUse - 5);

    const completed =
      inFlight.filter((o) => o.status >= 200 && o.status < 300).length +
      bigResults.filter((r) => r.end > signalAt).length;
    recordReliability({
      scenario: 'chaos/sigterm',
      checks: `SIGTERM to node dist/main.js under mixed load (16 clients) with 3 batches of ${BIG_BATCH} rows in flight: in-flight requests complete and commit, later ones refused, counters flushed, exit 0 within SHUTDOWN_GRACE_MS=${GRACE_MS}`,
      figure: `exit 0 after ${exitedAt - signalAt} ms; ${completed} requests in flight at the signal completed 2xx (incl. ${bigResults.filter((r) => r.end > signalAt).length} big batches, all ${3 * BIG_BATCH} rows and their ${events} webhook events stored); ${closing503} x 503 on closing connections, ${refused} refused connections, 0 resets; usage ${usage}/${servedReads(outcomes)}; statuses ${JSON.stringify(statusCounts(outcomes))}`,
    });
  }, 60000);
});
