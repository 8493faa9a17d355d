import 'reflect-metadata';
// Must stay the first project import: it validates the environment before AppModule is loaded.
import './bootstrap/preload';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { createApp } from './bootstrap/create-app';
import { stopTracing } from './common/tracing/tracing';
import { loadEnv } from './config/env';

function fail(message: string): never {
  process.stderr.write(`nexcore failed to start: ${message}\n`);
  process.exit(1);
}

/**
 * SIGTERM/SIGINT: stop accepting connections and let in-flight requests finish FIRST, then close
 * queues, flush counters, close Redis and Postgres (Nest lifecycle hooks), flush buffered spans,
 * then exit 0. If that
 * takes longer than the grace period the process exits 1 rather than hang a deploy.
 *
 * The HTTP server is drained before app.close() because Nest runs the destroy and
 * before-shutdown hooks (usage counter flushes, BullMQ worker close) before it closes the HTTP
 * adapter: the server kept accepting new requests while those ran (a worker waiting for a crawl
 * job kept taking traffic), and counts recorded by requests still in flight came after the final
 * flush and were lost. Closing Fastify twice is harmless (Nest's own close then finds it closed).
 */
function installShutdown(app: NestFastifyApplication, graceMs: number, role: string): void {
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.get(Logger).log(`${signal} received, draining (grace ${graceMs} ms)`);
    setTimeout(() => fail(`shutdown exceeded SHUTDOWN_GRACE_MS=${graceMs}`), graceMs).unref();
    const drainHttp = role === 'worker' ? Promise.resolve() : app.getHttpAdapter().getInstance().close();
    drainHttp
      .then(() => app.close())
      .then(() => stopTracing())
      .then(
        () => process.exit(0),
        (err: Error) => fail(`error during shutdown: ${err.message}`),
      );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

async function main(): Promise<void> {
  const env = loadEnv();
  const app = await createApp();
  installShutdown(app, env.SHUTDOWN_GRACE_MS, env.APP_ROLE);
  if (env.APP_ROLE === 'worker') {
    await app.init();
    app.get(Logger).log('worker started (no HTTP listener)');
  } else {
    await app.listen({ port: env.PORT, host: env.HOST });
    app.get(Logger).log(`listening on http://${env.HOST}:${env.PORT} (role ${env.APP_ROLE})`);
  }
}

main().catch((err: Error) => fail(err.message));
