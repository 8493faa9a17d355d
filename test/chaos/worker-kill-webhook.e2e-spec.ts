import { Client } from 'pg';
import { verifyWebhook } from '../../src/modules/webhooks/verify-webhook';
import {
  apiClient,
  ADMIN_PASSWORD,
  NexcoreProcess,
  processEnv,
  signIn,
  startNexcore,
} from '../support/nexcore-process';
import { recordReliability } from '../support/reliability-report';
import { waitFor } from '../support/redis-server';
import { TEST_DATABASE_URL } from '../support/test-env';
import { Receiver } from '../webhooks/receiver';
import { adminEnv, newTag, secs } from './mixed-traffic';
import { deliveryReport, isolateWebhooksSql } from './webhook-checks';

const EVENTS = 60;
const RECEIVER_DELAY_MS = 250;

/**
 * The webhook worker (`node dist/main.js worker`) is killed with SIGKILL while deliveries are in
 * flight (the receiver takes 250 ms to answer). After a new worker starts, every event is
 * delivered at least once, and all deliveries of one event carry the same `webhook-id` (so the
 * receiver can deduplicate) and a valid signature.
 */
describe('chaos: webhook worker killed with SIGKILL during delivery', () => {
  let receiver: Receiver;
  /** Requests received and not answered yet: deliveries in flight. */
  let open = 0;
  let api: NexcoreProcess | undefined;
  const workers: NexcoreProcess[] = [];
  const db = new Client({ connectionString: TEST_DATABASE_URL });
  const tag = newTag();
  const env = processEnv({
    ...adminEnv(tag),
    WEBHOOK_RETRY_SCHEDULE: '0,1,1,2,5',
    WEBHOOK_TIMEOUT_MS: '2000',
    WEBHOOK_RELAY_INTERVAL_MS: '100',
    WEBHOOK_CONCURRENCY: '5',
    WEBHOOK_STALLED_INTERVAL_MS: '2000',
  });

  beforeAll(async () => {
    receiver = await Receiver.start((_n, _req, res) => {
      open++;
      setTimeout(() => {
        open--;
        if (!res.destroyed) res.writeHead(204).end();
      }, RECEIVER_DELAY_MS);
    });
    await db.connect();
    await isolateWebhooksSql(db);
    api = await startNexcore({ ...env, APP_ROLE: 'api' });
  });
  afterAll(async () => {
    for (const p of [api, ...workers]) p?.kill('SIGKILL');
    await db.query(`UPDATE webhook_endpoints SET enabled = false`).catch(() => undefined);
    await db.end();
    await receiver?.close();
  });

  it('delivers every event at least once after a new worker starts, each under one webhook-id', async () => {
    const call = apiClient(api!.base);
    const admin = await signIn(api!.base, adminEnv(tag).ADMIN_EMAIL, ADMIN_PASSWORD);
    const { endpoint, secret } = await call('/webhooks', {
      token: admin,
      body: { url: receiver.url, events: ['feedback.received'] },
      expect: 201,
    });
    const { secret: apiKey } = await call('/api-keys', {
      token: admin,
      body: { name: 'wk', scopes: ['feedback:write'] },
      expect: 201,
    });
    for (let i = 0; i < EVENTS; i++) {
      await call('/feedback', { apiKey, body: { type: 'comment', message: `${tag} #${i}` }, expect: 201 });
    }

    workers.push(await startNexcore(env, { worker: true }));
    await waitFor(
      async () => receiver.received.length >= 10 && open > 0,
      (ready) => ready,
      30000,
    );
    workers[0].kill('SIGKILL');
    const openAtKill = open;
    const killedAt = Date.now();
    await workers[0].done;
    const beforeRestart = receiver.received.length;
    // In flight at the kill: sent, but the outcome never recorded.
    const [{ inFlight }] = (
      await db.query(
        `SELECT count(*)::int AS "inFlight" FROM webhook_deliveries WHERE endpoint_id = $1 AND status = 'pending' AND attempts = 0 AND enqueued_at IS NOT NULL`,
        [endpoint.id],
      )
    ).rows;
    expect(beforeRestart).toBeLessThan(EVENTS);

    workers.push(await startNexcore(env, { worker: true }));
    const restartedAt = Date.now();
    const unfinished = async () =>
      (
        await db.query(
          `SELECT count(*) FILTER (WHERE status <> 'succeeded')::int AS n FROM webhook_deliveries WHERE endpoint_id = $1`,
          [endpoint.id],
        )
      ).rows[0].n as number;
    let report = await deliveryReport(db, endpoint.id, receiver);
    while ((report.missing.length || (await unfinished()) > 0) && Date.now() - restartedAt < 60000) {
      await new Promise((r) => setTimeout(r, 250));
      report = await deliveryReport(db, endpoint.id, receiver);
    }
    const doneAt = Date.now();
    process.stdout.write(
      `\n[chaos/worker-kill-webhook] ${beforeRestart}/${EVENTS} received before the kill, ${openAtKill} in flight, ${inFlight} pending; ${JSON.stringify({ ...report, missing: report.missing.length })}; all delivered and recorded ${secs(doneAt - restartedAt)} s after the new worker started\n`,
    );

    expect(report.deliveries).toBe(EVENTS);
    expect(report.missing).toEqual([]);
    expect(report.inconsistent).toEqual([]);
    // The deliveries in flight at the kill were sent again, under the same webhook-id.
    expect(openAtKill).toBeGreaterThan(0);
    expect(report.duplicates).toBeGreaterThanOrEqual(openAtKill);
    // Every receipt is a valid signature over its body; feedback ids are all there.
    const ids = new Set<string>();
    for (const r of receiver.received) {
      const msg = verifyWebhook(secret, r.headers, r.body) as { data: { message: string } };
      ids.add(msg.data.message);
    }
    expect(ids.size).toBe(EVENTS);
    expect(await unfinished()).toBe(0);
    // Jobs of the dead worker come back after WEBHOOK_STALLED_INTERVAL_MS, not BullMQ's fixed 30-60 s.
    expect(doneAt - restartedAt).toBeLessThan(20000);

    recordReliability({
      scenario: 'chaos/worker-kill-webhook',
      checks: `webhook worker process SIGKILLed with deliveries in flight (receiver answers in ${RECEIVER_DELAY_MS} ms; API separate): each of ${EVENTS} events delivered at least once after a new worker starts, one webhook-id per event, signatures valid`,
      figure: `killed after ${beforeRestart}/${EVENTS} receipts with ${openAtKill} in flight; all ${EVENTS} delivered and recorded succeeded ${secs(doneAt - restartedAt)} s after a new worker started (${secs(doneAt - killedAt)} s after the kill); ${report.duplicates} redeliveries, 0 events with two webhook-ids; every delivery row succeeded (stalled-lock interval ${env.WEBHOOK_STALLED_INTERVAL_MS} ms)`,
    });
  }, 150000);
});
