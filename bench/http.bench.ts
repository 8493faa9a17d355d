/**
 * npm run bench:http — bare Fastify hello-world vs nexcore's GET /api/v1/health/live with the
 * whole production chain (helmet, CORS, compression, request id, metrics hook, pino-http,
 * guards, interceptors, problem filter), each in its own process, measured in the same run.
 * Target: nexcore >= 50% of bare Fastify's req/s. A bare NestJS app is measured too, to show
 * how much of the gap is the framework itself. BENCH_DURATION (s) sets the length.
 */
import { freePort, load, report, startProcess, stopProcess } from './support/harness';

async function main(): Promise<void> {
  const barePort = await freePort();
  const nestPort = await freePort();
  const appPort = await freePort();
  const bare = await startProcess(['bench/support/bare-fastify.js'], { PORT: String(barePort) }, `http://127.0.0.1:${barePort}/`);
  const nest = await startProcess(
    ['bench/support/bare-nest.js'],
    { PORT: String(nestPort) },
    `http://127.0.0.1:${nestPort}/api/v1/health/live`,
  );
  const app = await startProcess(
    ['dist/main.js'],
    {
      NODE_ENV: 'production',
      PORT: String(appPort),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      DATABASE_URL: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@localhost:5432/nexcore_test',
      REDIS_URL: process.env.BENCH_REDIS_URL ?? 'redis://localhost:6379/0',
      JWT_SECRET: `bench-${Date.now()}-0123456789abcdefghijklmnop`,
      RATE_LIMIT_THRESHOLD: '1000000',
    },
    `http://127.0.0.1:${appPort}/api/v1/health/live`,
  );
  try {
    const baseline = await load('bare Fastify GET /', `http://127.0.0.1:${barePort}/`);
    const bareNest = await load('bare NestJS+Fastify GET /api/v1/health/live', `http://127.0.0.1:${nestPort}/api/v1/health/live`);
    const live = await load('nexcore GET /api/v1/health/live', `http://127.0.0.1:${appPort}/api/v1/health/live`);
    report('bench:http (50 connections)', [baseline, bareNest, live], baseline);
    const ratio = live.reqPerSec / baseline.reqPerSec;
    process.stdout.write(`\nnexcore / bare = ${(ratio * 100).toFixed(1)}% (target >= 50%) ${ratio >= 0.5 ? 'MET' : 'NOT MET'}\n`);
  } finally {
    await stopProcess(app);
    await stopProcess(nest);
    await stopProcess(bare);
  }
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});
