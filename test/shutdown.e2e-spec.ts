import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppShutdown } from '../src/common/lifecycle/shutdown';
import { bootApp } from './support/app';
import { FixturesController } from './support/fixtures.controller';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function closeWhileServing(app: NestFastifyApplication): Promise<void> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.getHttpServer().address() as { port: number };
  const base = `http://127.0.0.1:${port}/api/v1`;

  // In flight means the server has parsed the request: until then Node's server.close() counts
  // the connection as idle and resets it, and on a loaded machine that can take longer than any
  // fixed delay.
  const arrived = new Promise((r) => app.getHttpServer().once('request', r));
  const inFlight = fetch(`${base}/test/slow-exempt/700`);
  await arrived;
  await sleep(50);
  const closing = app.close();
  await new Promise((r) => setTimeout(r, 100));

  // A fresh connection after close began is not served.
  await expect(fetch(`${base}/health/live`, { headers: { connection: 'close' } })).rejects.toThrow();

  const res = await inFlight;
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ slept: 700 });
  await closing;
}

describe('graceful shutdown', () => {
  it('lets in-flight requests finish while refusing new connections', async () => {
    const app = await bootApp({}, { controllers: [FixturesController] });
    await closeWhileServing(app);
  });

  it('refuses new connections from the start of close, however slow the later shutdown steps are', async () => {
    // A slow Fastify onClose hook (Fastify runs plugins' hooks before closing its listener)...
    const app = await bootApp(
      {},
      {
        controllers: [FixturesController],
        beforeInit: (a) =>
          a
            .getHttpAdapter()
            .getInstance()
            .addHook('onClose', (_instance, done) => void sleep(1500).then(() => done())),
      },
    );
    // ...and a slow worker stop.
    app.get(AppShutdown).onStop('workers', 'slow test worker', () => sleep(1500));
    await closeWhileServing(app);
  });
});
