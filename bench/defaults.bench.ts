/**
 * npm run bench:defaults — each server in its own process, measured in the same run:
 *   (1) cached GET /api/v1/defaults/:key (JWT, fallback resolution served from Redis), 50
 *       connections, vs bare Fastify hello-world: req/s ratio (target >= 40%) and p99 (< 10 ms);
 *   (2) POST /api/v1/defaults/batch with 1000 upserts: median of BENCH_BATCH_RUNS (target < 250 ms);
 *   (3) POST /api/v1/defaults/predict ranking 100 stored candidates: p99.
 * Needs a migrated database: BENCH_DATABASE_URL (default the dev database), BENCH_REDIS_URL.
 * Request logging is at warn so it does not dominate what is measured.
 */
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { freePort, load, report, startProcess, stopProcess } from './support/harness';

async function call(
  url: string,
  method: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function main(): Promise<void> {
  const barePort = await freePort();
  const appPort = await freePort();
  const api = `http://127.0.0.1:${appPort}/api/v1`;
  const email = `bench-${randomBytes(4).toString('hex')}@example.test`;
  const password = `bench-${randomBytes(12).toString('hex')}`;
  const bare = await startProcess(
    ['bench/support/bare-fastify.js'],
    { PORT: String(barePort) },
    `http://127.0.0.1:${barePort}/`,
  );
  const app = await startProcess(
    ['dist/main.js'],
    {
      NODE_ENV: 'production',
      PORT: String(appPort),
      HOST: '127.0.0.1',
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
      DATABASE_URL: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/nexcore_dev_defaults',
      REDIS_URL: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/0',
      REDIS_KEY_PREFIX: `bench:${randomBytes(3).toString('hex')}:`,
      JWT_SECRET: `bench-${Date.now()}-0123456789abcdefghijklmnop`,
      RATE_LIMIT_THRESHOLD: '1000000',
      ADMIN_EMAIL: email,
      ADMIN_PASSWORD: password,
    },
    `${api}/health/live`,
  );
  try {
    const login = await call(`${api}/auth/login`, 'POST', { email, password }, {});
    if (login.status !== 200) throw new Error(`login failed: ${login.status}`);
    const auth = { authorization: `Bearer ${String(login.json.accessToken)}` };

    // (1) cached resolve: a fallback (team=ops row for a team=ops;env=prod ask), so the hit is not just the trivial case.
    await call(
      `${api}/defaults/bench.theme`,
      'PUT',
      { context: 'team=ops', value: { theme: 'dark', density: 'compact' } },
      auth,
    );
    const getUrl = `${api}/defaults/bench.theme?context=${encodeURIComponent('team=ops;env=prod')}`;
    const warm = await fetch(getUrl, { headers: auth });
    if (warm.status !== 200) throw new Error(`resolve answered ${warm.status}`);
    const baseline = await load('bare Fastify GET /', `http://127.0.0.1:${barePort}/`);
    const cached = await load('nexcore GET /defaults/:key (JWT, cached)', getUrl, { headers: auth });
    // References: the same stack without auth, and with auth but no defaults work.
    const live = await load('nexcore GET /health/live (reference)', `${api}/health/live`);
    const me = await load('nexcore GET /auth/me (JWT, reference)', `${api}/auth/me`, { headers: auth });
    report('(1) bench:defaults cached resolve (50 connections)', [baseline, cached, live, me], baseline);
    const ratio = cached.reqPerSec / baseline.reqPerSec;
    process.stdout.write(
      `ratio ${(ratio * 100).toFixed(1)}% (target >= 40%: ${ratio >= 0.4 ? 'MET' : 'NOT MET'}), p99 ${cached.p99} ms (target < 10 ms: ${cached.p99 < 10 ? 'MET' : 'NOT MET'})\n`,
    );

    // (2) batch of 1000 upserts, measured sequentially; the first run inserts, later runs update.
    const runs = Number(process.env.BENCH_BATCH_RUNS ?? 15);
    const times: number[] = [];
    for (let r = 0; r < runs; r++) {
      const items = Array.from({ length: 1000 }, (_, i) => ({
        op: 'upsert',
        key: `bench.batch.k${i % 100}`,
        context: `shard=s${Math.floor(i / 100)}`,
        value: { run: r, i },
      }));
      const t0 = performance.now();
      const res = await call(`${api}/defaults/batch`, 'POST', { items }, auth);
      times.push(performance.now() - t0);
      if (res.status !== 200)
        throw new Error(`batch answered ${res.status}: ${JSON.stringify(res.json).slice(0, 300)}`);
    }
    const sorted = [...times].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    process.stdout.write(
      `\n(2) POST /defaults/batch, 1000 upserts x ${runs}: median ${median.toFixed(1)} ms, min ${sorted[0].toFixed(1)}, max ${sorted[sorted.length - 1].toFixed(1)} (target < 250 ms: ${median < 250 ? 'MET' : 'NOT MET'})\n`,
    );

    // (3) predict over 100 stored candidates (100 contexts, 100 distinct values).
    const items = Array.from({ length: 100 }, (_, i) => ({
      op: 'upsert',
      key: 'bench.predict',
      context: `team=t${i % 10};env=e${Math.floor(i / 10)}`,
      value: `v${i}`,
    }));
    await call(`${api}/defaults/batch`, 'POST', { items }, auth);
    const body = JSON.stringify({ key: 'bench.predict', context: 'team=t3;env=e7;region=eu' });
    const connections = Number(process.env.BENCH_PREDICT_CONNECTIONS ?? 10);
    const duration = Number(process.env.BENCH_DURATION ?? 10);
    const p = await autocannon({
      url: `${api}/defaults/predict`,
      method: 'POST',
      body,
      headers: { ...auth, 'content-type': 'application/json' },
      connections,
      duration,
    });
    process.stdout.write(
      `\n(3) POST /defaults/predict, 100 candidates, ${connections} connections: ${Math.round(p.requests.average)} req/s, p50 ${p.latency.p50} ms, p99 ${p.latency.p99} ms, non2xx ${p.non2xx}\n`,
    );
  } finally {
    await stopProcess(app);
    await stopProcess(bare);
  }
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});
