import Redis from 'ioredis';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { FixtureSite } from '../ingestion/fixture-site';
import { CRAWL_TEST_ENV } from '../ingestion/helpers';
import { OtlpReceiver, ReceivedSpan } from '../support/otlp-receiver';
import { startServer, waitForHttp } from '../support/process';
import { freePort, waitFor } from '../support/redis-server';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../support/test-env';
import { isolateWebhooks, Receiver, WEBHOOK_TEST_ENV } from '../webhooks/receiver';

const SERVER = 2;
const ADMIN = { email: 'trace-admin@example.test', password: 'trace-admin-password-1' };

/**
 * The built server (`node dist/main.js`, so the SDK really starts in preload before the
 * instrumented modules load) exporting OTLP/HTTP JSON to a stand-in collector on 127.0.0.1,
 * with its stdout log lines captured.
 */
describe('tracing and end-to-end request ids (node dist/main.js with OTEL_EXPORTER_OTLP_ENDPOINT)', () => {
  let otlp: OtlpReceiver;
  let hooks: Receiver;
  let site: FixtureSite;
  let server: ReturnType<typeof startServer>;
  let base = '';
  let adminToken = '';

  const logLines = () =>
    server
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  const api = async (path: string, init: RequestInit & { requestId?: string; token?: string } = {}) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (init.requestId) headers['x-request-id'] = init.requestId;
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    const res = await fetch(`${base}${path}`, { ...init, headers });
    return {
      status: res.status,
      body: (await res.json().catch(() => null)) as Record<string, unknown> & { job: { id: string } },
    };
  };
  const serverSpanOf = (requestId: string) =>
    waitFor(
      async () => otlp.spans.find((s) => s.kind === SERVER && s.attributes['nexcore.request_id'] === requestId),
      (s) => s !== undefined,
    ) as Promise<ReceivedSpan>;

  beforeAll(async () => {
    // Other e2e files leave enabled endpoints behind; this file's events must only reach its receiver.
    const pg = new Client({ connectionString: TEST_DATABASE_URL });
    await pg.connect();
    await isolateWebhooks(pg as unknown as DataSource);
    await pg.query(`DELETE FROM users WHERE email = $1`, [ADMIN.email]);
    await pg.end();
    [otlp, hooks, site] = await Promise.all([OtlpReceiver.start(), Receiver.start(), new FixtureSite().start()]);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = startServer({
      ...CRAWL_TEST_ENV,
      ...WEBHOOK_TEST_ENV,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'info',
      DATABASE_URL: TEST_DATABASE_URL,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: process.env.REDIS_KEY_PREFIX!,
      JWT_SECRET: process.env.JWT_SECRET!,
      DB_MIGRATIONS_RUN: 'false',
      RATE_LIMIT_THRESHOLD: '100000',
      ARGON2_MEMORY_KIB: '1024',
      ARGON2_TIME_COST: '1',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      OTEL_EXPORTER_OTLP_ENDPOINT: otlp.endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_SERVICE_NAME: 'nexcore-e2e',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });
    await waitForHttp(`${base}/api/v1/health/live`, 30000);
    const login = await api('/api/v1/auth/login', { method: 'POST', body: JSON.stringify(ADMIN) });
    if (login.status !== 200) throw new Error(`admin login failed: ${login.status} ${server.output().slice(-2000)}`);
    adminToken = String(login.body.accessToken);
  });
  afterAll(async () => {
    if (server) {
      server.proc.kill('SIGTERM');
      await server.done;
    }
    await Promise.all([otlp?.close(), hooks?.close(), site?.stop()]);
  });

  it('an HTTP request that touches Postgres and Redis gives one trace: server span > Fastify spans > pg and ioredis spans', async () => {
    const requestId = `trace-register-${Date.now()}`;
    const res = await api('/api/v1/auth/register', {
      method: 'POST',
      requestId,
      body: JSON.stringify({ email: `${requestId}@example.test`, password: 'correct-horse-battery-9' }),
    });
    expect(res.status).toBe(201);
    const root = await serverSpanOf(requestId);
    expect(root).toMatchObject({
      parentSpanId: '',
      service: 'nexcore-e2e',
      scope: '@opentelemetry/instrumentation-http',
    });
    expect(root.attributes['http.route'] ?? root.name).toMatch(/auth\/register/);
    const inTrace = () => otlp.spans.filter((s) => s.traceId === root.traceId);
    const byScope = (scope: string) => inTrace().filter((s) => s.scope === scope);
    await waitFor(
      async () =>
        byScope('@opentelemetry/instrumentation-pg').length && byScope('@opentelemetry/instrumentation-ioredis').length,
      (n) => n > 0,
    );
    const fastify = byScope('@fastify/otel');
    expect(fastify.find((s) => s.parentSpanId === root.spanId)?.name).toBe('request');
    const inserts = byScope('@opentelemetry/instrumentation-pg').filter((s) =>
      /INSERT INTO "users"/.test(String(s.attributes['db.query.text'])),
    );
    expect(inserts).toHaveLength(1);
    // Every database and Redis span hangs under the request: its ancestors reach the server span through a Fastify span.
    for (const span of [
      ...byScope('@opentelemetry/instrumentation-pg'),
      ...byScope('@opentelemetry/instrumentation-ioredis'),
    ]) {
      const chain = otlp.ancestors(span);
      expect(chain[chain.length - 1]?.spanId).toBe(root.spanId);
      expect(chain.some((s) => s.scope === '@fastify/otel')).toBe(true);
    }
    // Redis spans name the command only (no keys or values).
    for (const s of byScope('@opentelemetry/instrumentation-ioredis'))
      expect(s.attributes['db.query.text']).toMatch(/^[a-z]+$/);
    // The access log line of that request carries its request id and trace id.
    const access = await waitFor(
      async () => logLines().find((l) => l.requestId === requestId && l.msg === 'request completed'),
      (l) => l !== undefined,
    );
    expect(access).toMatchObject({ trace_id: root.traceId, span_id: expect.stringMatching(/^[0-9a-f]{16}$/) });
  });

  it('probes are not traced', async () => {
    const requestId = `trace-probe-${Date.now()}`;
    await api('/api/v1/health/live', { requestId });
    await api('/api/v1/health/ready', { requestId: `${requestId}-ready` });
    await serverSpanOf(`${requestId}-ready`);
    expect(otlp.spans.some((s) => s.attributes['nexcore.request_id'] === requestId)).toBe(false);
  });

  it('one user action followed end to end: HTTP request > crawl job (same trace, logs with the request id) > webhook with X-Request-Id', async () => {
    const hook = await api('/api/v1/webhooks', {
      method: 'POST',
      token: adminToken,
      body: JSON.stringify({ url: hooks.url, events: ['ingestion.completed'] }),
    });
    expect(hook.status).toBe(201);
    const requestId = `trace-crawl-${Date.now()}`;
    const created = await api('/api/v1/sources', {
      method: 'POST',
      token: adminToken,
      requestId,
      body: JSON.stringify({ url: `${site.origin}/a`, maxPages: 3 }),
    });
    expect(created.status).toBe(202);
    const jobId = created.body.job.id;

    const delivered = await waitFor(
      async () => hooks.received.find((m) => (JSON.parse(m.body) as { data: { jobId?: string } }).data.jobId === jobId),
      (m) => m !== undefined,
      30000,
    );
    expect(delivered!.headers['x-request-id']).toBe(requestId);
    expect(delivered!.headers['webhook-id']).toMatch(/^msg_/);

    // The job in Redis carries the request id and the request's trace context.
    const redis = new Redis(TEST_REDIS_URL);
    try {
      const data = JSON.parse((await redis.hget(`${process.env.REDIS_KEY_PREFIX}bull:ingestion:${jobId}`, 'data'))!);
      expect(data).toMatchObject({
        jobId,
        requestId,
        trace: { traceparent: expect.stringMatching(/^00-[0-9a-f]{32}-/) },
      });
    } finally {
      redis.disconnect();
    }

    // The worker's log lines for that job carry the request id: started, finished, and the delivery.
    const lines = await waitFor(
      async () => logLines().filter((l) => l.requestId === requestId),
      (ls) => ls.some((l) => /^webhook ingestion.completed .* succeeded/.test(String(l.msg))),
    );
    const msgs = lines.map((l) => String(l.msg));
    expect(msgs).toEqual(
      expect.arrayContaining([
        'request completed',
        `crawl ${jobId} started (attempt 1)`,
        expect.stringMatching(`^crawl ${jobId} completed`),
      ]),
    );
    expect(lines.filter((l) => String(l.msg).startsWith(`crawl ${jobId}`)).every((l) => l.jobId === jobId)).toBe(true);

    // The crawl runs in a span of the request's trace, its pg calls beneath it.
    const root = await serverSpanOf(requestId);
    const crawl = await waitFor(
      async () => otlp.spans.find((s) => s.name === 'ingestion.crawl' && s.attributes['nexcore.job_id'] === jobId),
      (s) => s !== undefined,
    );
    expect(crawl!.traceId).toBe(root.traceId);
    expect(otlp.ancestors(crawl!).map((s) => s.spanId)).toContain(root.spanId);
    expect(
      otlp.spans.some((s) => s.scope === '@opentelemetry/instrumentation-pg' && s.parentSpanId === crawl!.spanId),
    ).toBe(true);
    const crawlLine = lines.find((l) => l.msg === `crawl ${jobId} started (attempt 1)`);
    expect(crawlLine?.trace_id).toBe(root.traceId);
  });
});
