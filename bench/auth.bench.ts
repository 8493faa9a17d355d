/**
 * npm run bench:auth — boots the app in-process on a random port, then measures with autocannon,
 * in the same run and with the same settings:
 *   baseline   GET /api/v1/health/live          (public, no auth)
 *   jwt        GET /api/v1/auth/me              (Bearer access token)
 *   api-key    GET /api/v1/auth/me              (X-API-Key, scope profile:read)
 * and prints req/s, p50, p99 and each ratio to the baseline.
 *
 * Needs DATABASE_URL, REDIS_URL, JWT_SECRET (environment or .env). Migrations run at boot.
 * BENCH_DURATION_SECONDS (default 10), BENCH_CONNECTIONS (default 50). The rate limit is raised
 * and request logging lowered to warn so neither dominates what is being measured.
 */
import 'reflect-metadata';
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { createApp } from '../src/bootstrap/create-app';
import { loadDotEnv } from '../src/config/load-dotenv';

interface Row {
  name: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

async function json(base: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

async function measure(name: string, url: string, headers: Record<string, string>, duration: number, connections: number): Promise<Row> {
  // Short warm-up so JIT and connection pools are in steady state.
  // Load is generated from a worker thread so it does not share the app's event loop.
  await autocannon({ url, headers, connections, duration: 2, workers: 1 });
  const r = await autocannon({ url, headers, connections, duration, workers: 1 });
  return { name, reqPerSec: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors };
}

async function main(): Promise<void> {
  loadDotEnv();
  Object.assign(process.env, {
    RATE_LIMIT_THRESHOLD: '1000000',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    NODE_ENV: process.env.NODE_ENV === 'production' ? 'production' : 'test',
  });
  const duration = Number(process.env.BENCH_DURATION_SECONDS ?? 10);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
  const app = await createApp();
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  try {
    const email = `bench-${randomBytes(4).toString('hex')}@example.test`;
    const password = `bench-${randomBytes(12).toString('hex')}`;
    await json(base, '/api/v1/auth/register', { email, password });
    const tokens = await json(base, '/api/v1/auth/login', { email, password });
    const auth = { authorization: `Bearer ${String(tokens.accessToken)}` };
    const key = await json(base, '/api/v1/api-keys', { name: 'bench', scopes: ['profile:read'] }, auth);

    const rows = [
      await measure('baseline /health/live', `${base}/api/v1/health/live`, {}, duration, connections),
      await measure('jwt      /auth/me', `${base}/api/v1/auth/me`, auth, duration, connections),
      await measure('api-key  /auth/me', `${base}/api/v1/auth/me`, { 'x-api-key': String(key.secret) }, duration, connections),
    ];
    const baseline = rows[0].reqPerSec;
    const out = [
      `auth benchmark: ${connections} connections, ${duration} s per scenario, node ${process.version}`,
      'scenario                 req/s     p50 ms  p99 ms  non2xx  errors  ratio vs baseline',
      ...rows.map(
        (r) =>
          `${r.name.padEnd(24)} ${r.reqPerSec.toFixed(0).padStart(8)} ${String(r.p50).padStart(8)} ${String(r.p99).padStart(7)} ${String(r.non2xx).padStart(7)} ${String(r.errors).padStart(7)}  ${(r.reqPerSec / baseline).toFixed(2)}`,
      ),
    ];
    process.stdout.write(`${out.join('\n')}\n`);
    if (rows.some((r) => r.non2xx > 0 || r.errors > 0)) process.exitCode = 1;
  } finally {
    // Let requests still in flight when autocannon stopped finish before the pools close.
    await new Promise((r) => setTimeout(r, 1000));
    await app.close();
  }
}

main().catch((err: Error) => {
  process.stderr.write(`bench failed: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
