import { bootApp } from './support/app';
import { FixturesController } from './support/fixtures.controller';

describe('graceful shutdown', () => {
  it('lets in-flight requests finish while refusing new connections', async () => {
    const app = await bootApp({}, { controllers: [FixturesController] });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.getHttpServer().address() as { port: number };
    const base = `http://127.0.0.1:${port}/api/v1`;

    const inFlight = fetch(`${base}/test/slow-exempt/700`);
    await new Promise((r) => setTimeout(r, 150));
    const closing = app.close();
    await new Promise((r) => setTimeout(r, 100));

    // A fresh connection after close began is not served.
    await expect(fetch(`${base}/health/live`, { headers: { connection: 'close' } })).rejects.toThrow();

    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ slept: 700 });
    await closing;
  });
});
