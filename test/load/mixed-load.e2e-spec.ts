import autocannon from 'autocannon';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FixtureSite } from '../ingestion/fixture-site';
import { CRAWL_TEST_ENV } from '../ingestion/helpers';
import { adminEnv, newTag } from '../chaos/mixed-traffic';
import { percentile } from '../support/load-client';
import {
  ADMIN_PASSWORD,
  apiClient,
  Json,
  NexcoreProcess,
  processEnv,
  rssMb,
  signIn,
  startNexcore,
} from '../support/nexcore-process';
import { recordReliability } from '../support/reliability-report';
import { waitFor } from '../support/redis-server';

/**
 * Mixed traffic with autocannon on loopback against the built server in its own process.
 * `npm run test:load` runs 60 s at 200 connections; `npm test` (CI) runs the short version with
 * the same assertions: no 5xx, no non-2xx at all, no socket error or timeout, and RSS after the
 * run at most 20% above RSS after the warm-up.
 *
 * Rate limiting: the server runs with RATE_LIMIT_THRESHOLD raised out of reach. Every load client
 * shares one principal, so with the production limit nearly every request would be a 429 and the
 * run would measure the limiter's rejection path only; the limiter still counts every request in
 * Redis, so its cost is in the figures. Its behaviour is tested in test/rate-limit.e2e-spec.ts.
 */
const DURATION_S = Number(process.env.LOAD_DURATION_S ?? 12);
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 40);
const WARMUP_S = Number(process.env.LOAD_WARMUP_S ?? 8);
/**
 * The leak gate is the JS heap plus external memory after a forced GC. RSS is reported but not
 * gated: over a 12 s run it swung from -25% to +33% between identical runs (the allocator keeps
 * or returns pages at will) while the heap stayed within 1 MiB.
 */
const MAX_HEAP_GROWTH = 0.2;

interface RouteLoad {
  name: string;
  weight: number;
  request: autocannon.Request;
}

interface RouteFigures {
  name: string;
  connections: number;
  total: number;
  reqPerSec: number;
  p50: number;
  p95: number;
  p99: number;
  statuses: Record<string, number>;
  non2xx: number;
  errors: number;
  timeouts: number;
}

/** Runs every route at once, each with its share of the connections, for `seconds`. */
async function runMix(
  base: string,
  routes: RouteLoad[],
  connections: number,
  seconds: number,
): Promise<RouteFigures[]> {
  const weights = routes.reduce((s, r) => s + r.weight, 0);
  return Promise.all(
    routes.map(async (route) => {
      const conns = Math.max(1, Math.round((connections * route.weight) / weights));
      const latencies: number[] = [];
      // A request counts as timed out only past the server's own REQUEST_TIMEOUT_MS (default 30 s),
      // after which the server itself answers 503 — which the run counts as a failure too.
      const r = await new Promise<autocannon.Result>((resolve, reject) => {
        const instance = autocannon(
          { url: base, connections: conns, duration: seconds, timeout: 35, requests: [route.request] },
          (err, result) => (err ? reject(err) : resolve(result)),
        );
        instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
      });
      latencies.sort((a, b) => a - b);
      const statuses: Record<string, number> = {};
      for (const [code, s] of Object.entries(r.statusCodeStats ?? {})) statuses[code] = s.count ?? 0;
      return {
        name: route.name,
        connections: conns,
        total: r.requests.total,
        reqPerSec: Math.round(r.requests.total / seconds),
        p50: Math.round(percentile(latencies, 50)),
        p95: Math.round(percentile(latencies, 95)),
        p99: Math.round(percentile(latencies, 99)),
        statuses,
        non2xx: r.non2xx,
        errors: r.errors,
        timeouts: r.timeouts,
      };
    }),
  );
}

function table(rows: RouteFigures[]): string {
  const head =
    'route'.padEnd(24) +
    'conns'.padStart(6) +
    'req/s'.padStart(8) +
    'p50 ms'.padStart(8) +
    'p95 ms'.padStart(8) +
    'p99 ms'.padStart(8) +
    'non2xx'.padStart(8) +
    'errors'.padStart(8) +
    '  statuses';
  const lines = rows.map(
    (r) =>
      r.name.padEnd(24) +
      String(r.connections).padStart(6) +
      String(r.reqPerSec).padStart(8) +
      String(r.p50).padStart(8) +
      String(r.p95).padStart(8) +
      String(r.p99).padStart(8) +
      String(r.non2xx).padStart(8) +
      String(r.errors).padStart(8) +
      `  ${JSON.stringify(r.statuses)}`,
  );
  return [head, ...lines].join('\n');
}

describe(`load: mixed traffic, ${DURATION_S} s at ${CONNECTIONS} connections`, () => {
  let site: FixtureSite;
  let server: NexcoreProcess | undefined;
  const tag = newTag();
  const probeFile = join(tmpdir(), `nx-gc-probe-${tag}.json`);

  /** Full GC in the server (test/support/gc-probe.js), then its RSS and heap in MiB. */
  async function memoryAfterGc(): Promise<{ rss: number; heap: number; external: number }> {
    rmSync(probeFile, { force: true });
    server!.kill('SIGUSR2');
    const m = await waitFor(
      async () =>
        existsSync(probeFile)
          ? (JSON.parse(readFileSync(probeFile, 'utf8')) as { rss: number; heapUsed: number; external: number })
          : null,
      (v) => v !== null,
      10000,
    );
    if (!m) throw new Error('the server did not answer the GC probe');
    return {
      rss: Math.round(m.rss / 2 ** 20),
      heap: Math.round(m.heapUsed / 2 ** 20),
      external: Math.round(m.external / 2 ** 20),
    };
  }

  beforeAll(async () => {
    site = await new FixtureSite().start();
    server = await startNexcore(
      processEnv({
        APP_ROLE: 'all',
        ...CRAWL_TEST_ENV,
        ...adminEnv(tag),
        NODE_OPTIONS: `--expose-gc --require ${join(__dirname, '..', 'support', 'gc-probe.js')}`,
        GC_PROBE_FILE: probeFile,
      }),
    );
  });
  afterAll(async () => {
    server?.kill('SIGKILL');
    rmSync(probeFile, { force: true });
    await site.stop();
  });

  it(
    'serves every route with no 5xx, no socket error, and no heap growth over 20% after warm-up',
    async () => {
      const base = server!.base;
      const api = apiClient(base);
      const admin = await signIn(base, adminEnv(tag).ADMIN_EMAIL, ADMIN_PASSWORD);
      const user = await signIn(base);
      const { secret: apiKey } = await api('/api-keys', {
        token: user,
        body: { name: 'load', scopes: ['feedback:write'] },
        expect: 201,
      });
      const readKey = `${tag}.read`;
      await api(`/defaults/${readKey}`, {
        method: 'PUT',
        token: admin,
        body: { context: 'env=prod', value: { theme: 'dark' } },
      });
      // Ask needs an indexed source of the caller: crawl the fixture site first.
      const src = await api('/sources', { token: user, body: { url: `${site.origin}/`, maxPages: 12 }, expect: 202 });
      const job = await waitFor(
        () => api(`/ingestion-jobs/${src.job.id}`, { token: user }),
        (j: Json) => ['completed', 'failed'].includes(j.status),
        60000,
      );
      expect(job.status).toBe('completed');
      const answer = await api('/ask', { token: user, body: { question: 'How do I install alpha?' } });
      expect(answer.citations.length).toBeGreaterThan(0);

      const json = { 'content-type': 'application/json' };
      const asUser = { authorization: `Bearer ${user}` };
      const asAdmin = { authorization: `Bearer ${admin}` };
      let n = 0;
      const routes: RouteLoad[] = [
        {
          name: 'GET defaults (cached)',
          weight: 4,
          request: { method: 'GET', path: `/api/v1/defaults/${readKey}?context=env=prod`, headers: asUser },
        },
        {
          name: 'GET defaults (uncached)',
          weight: 2,
          // A context never asked before: a cache miss, resolved by fallback in Postgres.
          request: {
            method: 'GET',
            path: '/',
            headers: asUser,
            setupRequest: (req) => ({ ...req, path: `/api/v1/defaults/${readKey}?context=env=prod;u=${tag}${n++}` }),
          },
        },
        {
          name: 'PUT defaults',
          weight: 2,
          request: {
            method: 'PUT',
            path: '/',
            headers: { ...asAdmin, ...json },
            setupRequest: (req) => ({
              ...req,
              path: `/api/v1/defaults/${tag}.w.${n++ % 200}`,
              body: JSON.stringify({ value: n }),
            }),
          },
        },
        { name: 'GET auth/me', weight: 3, request: { method: 'GET', path: '/api/v1/auth/me', headers: asUser } },
        {
          name: 'POST ask',
          weight: 2,
          request: {
            method: 'POST',
            path: '/api/v1/ask',
            headers: { ...asUser, ...json },
            body: JSON.stringify({ question: 'How do I install alpha?' }),
          },
        },
        {
          name: 'POST feedback',
          weight: 2,
          request: {
            method: 'POST',
            path: '/api/v1/feedback',
            headers: { 'x-api-key': apiKey, ...json },
            setupRequest: (req) => ({
              ...req,
              body: JSON.stringify({ type: 'comment', message: `load ${tag} ${n++}` }),
            }),
          },
        },
        { name: 'GET health/ready', weight: 2, request: { method: 'GET', path: '/api/v1/health/ready' } },
      ];

      const warm = await runMix(base, routes, CONNECTIONS, WARMUP_S);
      // Memory is read right after a forced full GC, at the start (after warm-up) and at the end:
      // raw RSS saw-tooths with garbage collection by ±25% within seconds at this load, so two plain
      // readings would say more about GC timing than about a leak.
      const start = await memoryAfterGc();
      const startedAt = Date.now();
      const rows = await runMix(base, routes, CONNECTIONS, DURATION_S);
      const elapsed = (Date.now() - startedAt) / 1000;
      const peakRss = rssMb(server!.pid);
      const end = await memoryAfterGc();
      const total = rows.reduce((s, r) => s + r.total, 0);
      const growth = (end.rss - start.rss) / start.rss;
      process.stdout.write(
        `\n[load/mixed] ${DURATION_S} s at ${CONNECTIONS} connections (warm-up ${WARMUP_S} s: ${warm.reduce((s, r) => s + r.total, 0)} requests)\n${table(rows)}\n` +
          `all routes: ${Math.round(total / elapsed)} req/s, ${total} requests; after GC: RSS ${start.rss} MiB after warm-up, ${end.rss} MiB at the end (${(growth * 100).toFixed(1)}%), heap used ${start.heap} -> ${end.heap} MiB, external ${start.external} -> ${end.external} MiB; RSS before the end GC ${peakRss} MiB\n`,
      );

      const failedChecks = server!
        .output()
        .split('\n')
        .filter((l) => l.includes('Health Check has failed'));
      if (failedChecks.length) {
        const reasons = failedChecks.map((l) =>
          [...l.matchAll(/❌ (\w+)[^]*?message: ([^│]+?)\s+│/g)].map((m) => `${m[1]}: ${m[2]}`).join(', '),
        );
        process.stdout.write(`readiness failures: ${JSON.stringify([...new Set(reasons)])}\n`);
      }
      for (const r of [...warm, ...rows]) {
        expect({ route: r.name, errors: r.errors, timeouts: r.timeouts }).toEqual({
          route: r.name,
          errors: 0,
          timeouts: 0,
        });
        expect({ route: r.name, non2xx: r.non2xx, statuses: r.statuses }).toEqual({
          route: r.name,
          non2xx: 0,
          statuses: r.statuses,
        });
        expect(r.total).toBeGreaterThan(0);
      }
      const heapGrowth = (end.heap + end.external - (start.heap + start.external)) / (start.heap + start.external);
      expect(heapGrowth).toBeLessThanOrEqual(MAX_HEAP_GROWTH);

      const full = DURATION_S >= 60;
      const p99 = Math.max(...rows.map((r) => r.p99));
      recordReliability({
        scenario: full ? 'load/mixed' : 'load/mixed-short',
        checks: `autocannon mixed traffic ${DURATION_S} s at ${CONNECTIONS} connections on loopback against node dist/main.js (defaults cached/uncached reads and writes, auth/me, ask, feedback, health/ready): 0 x 5xx, 0 non-2xx, 0 socket errors/timeouts, heap + external growth after warm-up <= 20% (read after a forced GC; RSS reported)${full ? '' : ' (CI version of npm run test:load)'}`,
        figure: `${Math.round(total / elapsed)} req/s over all routes (${rows.map((r) => `${r.name} ${r.reqPerSec}/s p50/p95/p99 ${r.p50}/${r.p95}/${r.p99} ms`).join('; ')}); 0 errors; RSS after GC ${start.rss} -> ${end.rss} MiB (${(growth * 100).toFixed(1)}%), heap used ${start.heap} -> ${end.heap} MiB; worst p99 ${p99} ms`,
      });
    },
    (DURATION_S + WARMUP_S) * 1000 + 120000,
  );
});
