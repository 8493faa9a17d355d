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
 * SIGTERM/SIGINT: app.close() runs the shutdown sequence (common/lifecycle/shutdown.ts: stop
 * accepting connections, drain, stop timers, workers, flush, close Redis and Postgres), then
 * buffered spans are flushed and the process exits 0. If that takes longer than the grace period
 * the process exits 1 rather than hang a deploy.
 */
function installShutdown(app: NestFastifyApplication, graceMs: number): void {
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.get(Logger).log(`${signal} received, draining (grace ${graceMs} ms)`);
    setTimeout(() => fail(`shutdown exceeded SHUTDOWN_GRACE_MS=${graceMs}`), graceMs).unref();
    app
      .close()
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
  installShutdown(app, env.SHUTDOWN_GRACE_MS);
  if (env.APP_ROLE === 'worker') {
    await app.init();
    app.get(Logger).log('worker started (no HTTP listener)');
  } else {
    await app.listen({ port: env.PORT, host: env.HOST });
    app.get(Logger).log(`listening on http://${env.HOST}:${env.PORT} (role ${env.APP_ROLE})`);
  }
}

main().catch((err: Error) => fail(err.message));
