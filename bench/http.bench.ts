/**
 * npm run bench:http — bare Fastify hello-world vs nexcore's GET /api/v1/health/live with the
 * whole production chain (helmet, CORS, compression, request id, metrics hook, pino-http,
 * guards, interceptors, problem filter), each in its own process, measured in the same run.
 * Target: nexcore >= 50% of bare Fastify's req/s. A bare NestJS app is measured too, to show
 * how much of the gap is the framework itself. BENCH_DURATION (s) sets the length.
 *
 * BENCH_TRACING=1 adds the cost of tracing: GET /api/v1/health/ready (traced; it queries
 * Postgres and Redis, so about five spans per request) on nexcore without tracing and on a second
 * nexcore exporting OTLP to a dummy collector on 127.0.0.1, plus the untraced liveness probe there.
 */
import { ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import { benchServerEnv, Figures, freePort, load, report, startProcess, stopProcess } from './support/harness';

/** Accepts and drops OTLP exports, counting them (a stand-in collector). */
async function dummyCollector(): Promise<{ url: string; exports: () => number; close: () => void }> {
  let n = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      n++;
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${port}`, exports: () => n, close: () => server.close() };
}

async function main(): Promise<void> {
  const barePort = await freePort();
  const nestPort = await freePort();
  const appPort = await freePort();
  const bare = await startProcess(
    ['bench/support/bare-fastify.js'],
    { PORT: String(barePort) },
    `http://127.0.0.1:${barePort}/`,
  );
  const nest = await startProcess(
    ['bench/support/bare-nest.js'],
    { PORT: String(nestPort) },
    `http://127.0.0.1:${nestPort}/api/v1/health/live`,
  );
  // Log level info: the access log is part of what a request costs in production.
  const appEnv = (port: number) => benchServerEnv(port, 'info');
  const app = await startProcess(['dist/main.js'], appEnv(appPort), `http://127.0.0.1:${appPort}/api/v1/health/live`);
  let traced: ChildProcess | undefined;
  const collector = process.env.BENCH_TRACING === '1' ? await dummyCollector() : undefined;
  try {
    const baseline = await load('bare Fastify GET /', `http://127.0.0.1:${barePort}/`);
    const bareNest = await load(
      'bare NestJS+Fastify GET /api/v1/health/live',
      `http://127.0.0.1:${nestPort}/api/v1/health/live`,
    );
    const live = await load('nexcore GET /api/v1/health/live', `http://127.0.0.1:${appPort}/api/v1/health/live`);
    report('bench:http (50 connections)', [baseline, bareNest, live], baseline);
    const ratio = live.reqPerSec / baseline.reqPerSec;
    process.stdout.write(
      `\nnexcore / bare = ${(ratio * 100).toFixed(1)}% (target >= 50%) ${ratio >= 0.5 ? 'MET' : 'NOT MET'}\n`,
    );
    if (collector) {
      const tracedPort = await freePort();
      traced = await startProcess(
        ['dist/main.js'],
        { ...appEnv(tracedPort), OTEL_EXPORTER_OTLP_ENDPOINT: collector.url },
        `http://127.0.0.1:${tracedPort}/api/v1/health/live`,
      );
      const rows: Figures[] = [
        await load('tracing off: GET /api/v1/health/ready', `http://127.0.0.1:${appPort}/api/v1/health/ready`),
        await load('tracing on:  GET /api/v1/health/ready', `http://127.0.0.1:${tracedPort}/api/v1/health/ready`),
        await load(
          'tracing on:  GET /api/v1/health/live (untraced)',
          `http://127.0.0.1:${tracedPort}/api/v1/health/live`,
        ),
      ];
      report('bench:http tracing (OTLP http/protobuf to a dummy collector)', rows, rows[0]);
      process.stdout.write(`collector received ${collector.exports()} export requests\n`);
    }
  } finally {
    if (traced) await stopProcess(traced);
    collector?.close();
    await stopProcess(app);
    await stopProcess(nest);
    await stopProcess(bare);
  }
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});
