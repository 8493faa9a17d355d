/**
 * npm run bench:feedback — boots the app in-process on a random port, then measures:
 *   baseline   GET /api/v1/health/live                 (public, autocannon)
 *   intake     POST /api/v1/feedback with an X-API-Key (autocannon)
 *   delivery   BENCH_DELIVERIES feedback posts (BENCH_DELIVERY_CONCURRENCY at a time) to an app
 *              with one webhook endpoint on a local receiver: deliveries/s from the first post to
 *              the last receipt, and p50/p95 intake-to-receipt latency.
 * The receiver runs in this process (on 127.0.0.1), so it shares the event loop with the app;
 * figures are conservative. Needs DATABASE_URL, REDIS_URL, JWT_SECRET (environment or .env).
 */
import 'reflect-metadata';
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { createApp } from '../src/bootstrap/create-app';
import { loadDotEnv } from '../src/config/load-dotenv';
import { postJson } from './support/harness';

async function measure(name: string, opts: autocannon.Options) {
  await autocannon({ ...opts, duration: 2, workers: 1 });
  const r = await autocannon({ ...opts, workers: 1 });
  return {
    name,
    reqPerSec: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main(): Promise<void> {
  loadDotEnv();
  Object.assign(process.env, {
    RATE_LIMIT_THRESHOLD: '1000000',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    NODE_ENV: process.env.NODE_ENV === 'production' ? 'production' : 'test',
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    WEBHOOK_CONCURRENCY: process.env.WEBHOOK_CONCURRENCY ?? '20',
  });
  // The bench user is created as admin at boot (it registers the webhook endpoint).
  const email = `bench-${randomBytes(4).toString('hex')}@example.test`;
  const password = `bench-${randomBytes(12).toString('hex')}`;
  Object.assign(process.env, { ADMIN_EMAIL: email, ADMIN_PASSWORD: password });
  const duration = Number(process.env.BENCH_DURATION_SECONDS ?? 10);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
  const deliveries = Number(process.env.BENCH_DELIVERIES ?? 2000);
  const concurrency = Number(process.env.BENCH_DELIVERY_CONCURRENCY ?? 20);

  const received = new Map<string, number>();
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const msg = JSON.parse(body) as { data: { message?: string } };
      if (msg.data.message?.startsWith('bench-')) received.set(msg.data.message, performance.now());
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

  const app = await createApp();
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  try {
    const tokens = await postJson(base, '/api/v1/auth/login', { email, password });
    const auth = { authorization: `Bearer ${String(tokens.accessToken)}` };
    const key = String(
      (await postJson(base, '/api/v1/api-keys', { name: 'bench', scopes: ['feedback:write'] }, auth)).secret,
    );
    const feedback = JSON.stringify({
      type: 'comment',
      message: 'benchmark feedback',
      rating: 4,
      metadata: { source: 'bench' },
    });

    const baseline = await measure('baseline /health/live', {
      url: `${base}/api/v1/health/live`,
      connections,
      duration,
    });
    const intake = await measure('intake POST /feedback', {
      url: `${base}/api/v1/feedback`,
      method: 'POST',
      body: feedback,
      headers: { 'content-type': 'application/json', 'x-api-key': key },
      connections,
      duration,
    });

    process.stdout.write(
      `intake: ${intake.reqPerSec.toFixed(0)} req/s (baseline ${baseline.reqPerSec.toFixed(0)}), p99 ${intake.p99} ms\n`,
    );
    if (deliveries === 0) return;
    // Delivery: one endpoint subscribed to feedback.received (earlier runs' endpoints disabled).
    const { DataSource } = await import('typeorm');
    await app.get(DataSource).query(`UPDATE webhook_endpoints SET enabled = false`);
    // Let the relay drain the intake run's outbox rows before timing.
    while (
      Number(
        (await app.get(DataSource).query(`SELECT count(*) AS n FROM webhook_outbox WHERE relayed_at IS NULL`))[0].n,
      ) > 0
    ) {
      await new Promise((r) => setTimeout(r, 200));
    }
    await postJson(base, '/api/v1/webhooks', { url: hookUrl, events: ['feedback.received'] }, auth);
    const sent = new Map<string, number>();
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < deliveries) {
          const tag = `bench-${next++}`;
          sent.set(tag, performance.now());
          await postJson(base, '/api/v1/feedback', { type: 'bug', message: tag }, { 'x-api-key': key });
        }
      }),
    );
    const deadline = Date.now() + 120_000;
    while (received.size < deliveries && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const last = Math.max(...received.values());
    const latencies = [...sent]
      .filter(([tag]) => received.has(tag))
      .map(([tag, at]) => received.get(tag)! - at)
      .sort((a, b) => a - b);

    const rows = [baseline, intake];
    const out = [
      `feedback benchmark: ${connections} connections, ${duration} s per scenario, node ${process.version}`,
      'scenario                 req/s     p50 ms  p99 ms  non2xx  errors  ratio vs baseline',
      ...rows.map(
        (r) =>
          `${r.name.padEnd(24)} ${r.reqPerSec.toFixed(0).padStart(8)} ${String(r.p50).padStart(8)} ${String(r.p99).padStart(7)} ${String(r.non2xx).padStart(7)} ${String(r.errors).padStart(7)}  ${(r.reqPerSec / baseline.reqPerSec).toFixed(2)}`,
      ),
      '',
      `webhook delivery: ${deliveries} feedback posts, ${concurrency} in flight, WEBHOOK_CONCURRENCY=${process.env.WEBHOOK_CONCURRENCY}`,
      `  delivered ${received.size}/${deliveries} in ${((last - t0) / 1000).toFixed(2)} s = ${(received.size / ((last - t0) / 1000)).toFixed(0)} deliveries/s`,
      `  intake-to-receipt latency p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms, max ${latencies[latencies.length - 1].toFixed(1)} ms`,
    ];
    process.stdout.write(`${out.join('\n')}\n`);
    if (rows.some((r) => r.non2xx > 0 || r.errors > 0) || received.size < deliveries) process.exitCode = 1;
  } finally {
    await new Promise((r) => setTimeout(r, 1000));
    await app.close();
    receiver.close();
  }
}

main().catch((err: Error) => {
  process.stderr.write(`bench failed: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
