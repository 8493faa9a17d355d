import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, waitForHttp } from '../support/process';
import { freePort } from '../support/redis-server';

/**
 * The built server (`node dist/main.js`) as a newcomer runs it: no DATABASE_URL, no REDIS_URL.
 * Run in a scratch working directory so a developer's ./.env cannot switch the mode.
 */
describe('embedded mode across restarts (node dist/main.js)', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'nexcore-restart-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const env = (port: number) => ({
    PATH: process.env.PATH ?? '',
    // Production with the explicit override: proves ALLOW_EMBEDDED_IN_PRODUCTION lets it boot.
    NODE_ENV: 'production',
    ALLOW_EMBEDDED_IN_PRODUCTION: 'true',
    JWT_SECRET: 'restart-test-secret-restart-test-secret-0123',
    METRICS_TOKEN: 'restart-test-metrics-token',
    ARGON2_MEMORY_KIB: '1024',
    ARGON2_TIME_COST: '1',
    HOST: '127.0.0.1',
    PORT: String(port),
    PGLITE_DATA_DIR: join(dir, 'pglite'),
  });

  async function start(port: number) {
    const server = startServer(env(port), [], dir);
    const res = await Promise.race([
      waitForHttp(`http://127.0.0.1:${port}/api/v1/health/ready`, 60000),
      server.done.then((run) => {
        throw new Error(`server exited ${run.code}: ${run.stderr || run.stdout}`);
      }),
    ]);
    expect(res.status).toBe(200);
    return server;
  }

  async function stop(server: ReturnType<typeof startServer>) {
    server.proc.kill('SIGTERM');
    const run = await server.done;
    expect(run.code).toBe(0);
    return run;
  }

  const post = (port: number, path: string, body: unknown) =>
    fetch(`http://127.0.0.1:${port}/api/v1${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('keeps an account across a restart, and refuses a second process on the same data directory', async () => {
    const port = await freePort();
    const credentials = { email: 'restart@example.test', password: 'correct-horse-battery-9' };

    const first = await start(port);
    expect(first.output()).toMatch(/embedded PostgreSQL \(PGlite initialised in \d+ ms\)/);
    expect(first.output()).toMatch(/This mode is for ONE instance only/);
    expect((await post(port, '/auth/register', credentials)).status).toBe(201);

    const second = startServer(env(await freePort()), [], dir);
    const refused = await second.done;
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/PGLITE_DATA_DIR .* is in use by process \d+/);

    const stopped = await stop(first);
    expect(stopped.stdout).toMatch(/embedded PostgreSQL stopped/);

    const again = await start(port);
    try {
      expect(again.output()).toMatch(/embedded PostgreSQL \(PGlite opened in \d+ ms\)/);
      const login = await post(port, '/auth/login', credentials);
      expect(login.status).toBe(200);
      const { accessToken } = (await login.json()) as { accessToken: string };
      const me = await fetch(`http://127.0.0.1:${port}/api/v1/auth/me`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      expect(((await me.json()) as { email: string }).email).toBe(credentials.email);
    } finally {
      await stop(again);
    }
  });
});
