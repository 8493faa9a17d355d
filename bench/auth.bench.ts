/**
 * npm run bench:auth — nexcore (built, in its own process) measured in one run:
 *   baseline   GET /api/v1/health/live          (public, no auth)
 *   jwt        GET /api/v1/auth/me              (Bearer access token)
 *   api-key    GET /api/v1/auth/me              (X-API-Key, scope profile:read)
 * printing req/s, p50, p99 and each ratio to the baseline. BENCH_DURATION (s) sets the length;
 * BENCH_DATABASE_URL / BENCH_REDIS_URL point at the services (defaults: the local test ones).
 */
import { randomBytes } from 'node:crypto';
import { benchServerEnv, freePort, load, postJson, report, startProcess, stopProcess } from './support/harness';

async function main(): Promise<void> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const app = await startProcess(['dist/main.js'], benchServerEnv(port), `${base}/api/v1/health/live`);
  try {
    const email = `bench-${randomBytes(4).toString('hex')}@example.test`;
    const password = `bench-${randomBytes(12).toString('hex')}`;
    await postJson(base, '/api/v1/auth/register', { email, password });
    const tokens = await postJson(base, '/api/v1/auth/login', { email, password });
    const auth = { authorization: `Bearer ${String(tokens.accessToken)}` };
    const key = await postJson(base, '/api/v1/api-keys', { name: 'bench', scopes: ['profile:read'] }, auth);

    const baseline = await load('public GET /api/v1/health/live', `${base}/api/v1/health/live`);
    const rows = [
      baseline,
      await load('JWT GET /api/v1/auth/me', `${base}/api/v1/auth/me`, { headers: auth }),
      await load('API key GET /api/v1/auth/me', `${base}/api/v1/auth/me`, {
        headers: { 'x-api-key': String(key.secret) },
      }),
    ];
    report('bench:auth (50 connections)', rows, baseline);
    if (rows.some((r) => r.non2xx > 0 || r.errors > 0)) process.exitCode = 1;
  } finally {
    await stopProcess(app);
  }
}

main().catch((err: Error) => {
  process.stderr.write(`bench failed: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
