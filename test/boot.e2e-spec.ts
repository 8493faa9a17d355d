import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './support/redis-server';
import { startServer, waitForHttp } from './support/process';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from './support/test-env';

const base = () => ({
  NODE_ENV: 'test',
  DATABASE_URL: TEST_DATABASE_URL,
  REDIS_URL: TEST_REDIS_URL,
  JWT_SECRET: 'boot-test-secret-boot-test-secret-0123',
  LOG_LEVEL: 'info',
  HOST: '127.0.0.1',
});

async function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

describe('process boot (node dist/main.js)', () => {
  it('refuses to start without required variables, naming each of them once', async () => {
    const { done } = startServer({ PATH: process.env.PATH ?? '' });
    const run = await done;
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Invalid configuration/);
    // DATABASE_URL and REDIS_URL are optional (embedded mode); the secret never is.
    expect(run.stderr).toContain('JWT_SECRET is required');
    expect(run.stderr).not.toMatch(/(DATABASE_URL|REDIS_URL) is required/);
    expect(run.stderr.match(/Invalid configuration/g)).toHaveLength(1);
  });

  it('refuses the embedded mode in production, naming both variables and the override', async () => {
    const port = await freePort();
    const { done } = startServer({
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      JWT_SECRET: 'boot-test-secret-boot-test-secret-0123',
      HOST: '127.0.0.1',
      PORT: String(port),
    });
    const run = await done;
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/DATABASE_URL is not set: NODE_ENV=production refuses the embedded PostgreSQL/);
    expect(run.stderr).toMatch(/REDIS_URL is not set: NODE_ENV=production refuses the in-memory/);
    expect(run.stderr).toMatch(/ALLOW_EMBEDDED_IN_PRODUCTION=true/);
    // An open /metrics was flooded; production names the missing token.
    expect(run.stderr).toMatch(
      /METRICS_TOKEN is not set: NODE_ENV=production requires a bearer token for GET \/metrics/,
    );
    // Refused before anything started: no embedded database, no listener.
    expect(run.stdout).not.toMatch(/embedded PostgreSQL|listening on/);
    expect(await portOpen(port)).toBe(false);
  });

  it('refuses malformed and out-of-range values', async () => {
    const { done } = startServer({
      ...base(),
      PORT: '99999',
      DATABASE_URL: 'mysql://x/y',
      RATE_LIMIT_THRESHOLD: 'lots',
    });
    const run = await done;
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/PORT must be between 1 and 65535/);
    expect(run.stderr).toMatch(/DATABASE_URL must use postgres/);
    expect(run.stderr).toMatch(/RATE_LIMIT_THRESHOLD must be an integer/);
  });

  it('refuses the .env.example secrets in production', async () => {
    const { done } = startServer({
      ...base(),
      NODE_ENV: 'production',
      JWT_SECRET: 'change-me-this-is-a-placeholder-of-48-characters',
    });
    const run = await done;
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/JWT_SECRET still has the .env.example placeholder value/);
  });

  it('fails visibly when Postgres cannot be reached', async () => {
    const port = await freePort();
    const { done } = startServer({
      ...base(),
      DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/nexcore`,
      DB_CONNECT_RETRIES: '0',
      PORT: String(await freePort()),
    });
    const run = await done;
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/nexcore failed to start: .*ECONNREFUSED/);
  });

  it('serves, then drains and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const { proc, done } = startServer({ ...base(), PORT: String(port) });
    const live = await waitForHttp(`http://127.0.0.1:${port}/api/v1/health/live`);
    expect(live.status).toBe(200);
    const ready = await fetch(`http://127.0.0.1:${port}/api/v1/health/ready`, {
      headers: { 'X-Request-Id': 'boot-probe-1', Authorization: 'Bearer top-secret-token' },
    });
    expect(ready.status).toBe(200);
    proc.kill('SIGTERM');
    const run = await done;
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/SIGTERM received, draining/);
    // Structured JSON access log with the request id, credentials redacted.
    const access = run.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { requestId?: string; req: { headers: Record<string, string> } })
      .find((l) => l.requestId === 'boot-probe-1');
    expect(access).toMatchObject({ msg: 'request completed', res: { statusCode: 200 } });
    expect(access!.req.headers.authorization).toBe('[redacted]');
    expect(run.stdout).not.toContain('top-secret-token');
    expect(await portOpen(port)).toBe(false);
  });

  it('reads ./.env of its working directory before validating (the quick start path)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nexcore-dotenv-'));
    const port = await freePort();
    const env = { ...base(), NODE_ENV: 'development', LOG_LEVEL: 'warn', PORT: String(port) };
    writeFileSync(
      join(dir, '.env'),
      Object.entries(env)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n'),
    );
    const { proc, done } = startServer({}, [], dir);
    try {
      const live = await waitForHttp(`http://127.0.0.1:${port}/api/v1/health/live`);
      expect(live.status).toBe(200);
    } finally {
      proc.kill('SIGTERM');
      await done;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs as a worker without an HTTP listener (node dist/main.js worker)', async () => {
    const port = await freePort();
    const { proc, done, output } = startServer({ ...base(), PORT: String(port) }, ['worker']);
    const deadline = Date.now() + 20000;
    while (Date.now() < deadline && !/worker started/.test(output())) await new Promise((r) => setTimeout(r, 100));
    expect(output()).toMatch(/worker started/);
    expect(await portOpen(port)).toBe(false);
    proc.kill('SIGTERM');
    expect((await done).code).toBe(0);
  });
});
