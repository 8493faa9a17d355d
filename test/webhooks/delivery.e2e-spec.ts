import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { OutboxRelay } from '../../src/modules/webhooks/outbox-relay';
import { OutboxService } from '../../src/modules/webhooks/outbox.service';
import { verifyWebhook, WebhookVerificationError } from '../../src/modules/webhooks/verify-webhook';
import { bearer, bootAuthApp, createUser, http, TestUser } from '../support/auth';
import { waitFor } from '../support/redis-server';
import { isolateWebhooks, Receiver, WEBHOOK_TEST_ENV } from './receiver';

describe('Webhook delivery (signed, retried, recorded)', () => {
  let app: NestFastifyApplication;
  let admin: TestUser;
  let apiKey: string;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    app = await bootAuthApp(WEBHOOK_TEST_ENV);
    await isolateWebhooks(app.get(DataSource));
    admin = await createUser(app, { admin: true });
    const k = await http(app)
      .post('/api/v1/api-keys')
      .set(bearer(admin.accessToken))
      .send({ name: 'fb', scopes: ['feedback:write'] })
      .expect(201);
    apiKey = k.body.secret;
  });
  afterAll(async () => {
    await app?.get(DataSource).query(`DELETE FROM webhook_endpoints`);
    await app?.close();
    await Promise.all(receivers.map((r) => r.close()));
  });

  async function receiver(b?: Parameters<typeof Receiver.start>[0]): Promise<Receiver> {
    const r = await Receiver.start(b);
    receivers.push(r);
    return r;
  }
  async function endpoint(url: string, events = ['feedback.received']): Promise<{ id: string; secret: string }> {
    const res = await http(app)
      .post('/api/v1/webhooks')
      .set(bearer(admin.accessToken))
      .send({ url, events })
      .expect(201);
    return { id: res.body.endpoint.id, secret: res.body.secret };
  }
  const deliveries = async (id: string) =>
    (await http(app).get(`/api/v1/webhooks/${id}/deliveries`).set(bearer(admin.accessToken)).expect(200)).body;

  it('creates an endpoint with a whsec_ secret shown once, and never lists it again', async () => {
    const r = await receiver();
    const ep = await endpoint(r.url, ['*']);
    expect(ep.secret).toMatch(/^whsec_/);
    const got = await http(app).get(`/api/v1/webhooks/${ep.id}`).set(bearer(admin.accessToken)).expect(200);
    expect(JSON.stringify(got.body)).not.toContain('whsec_');
    const list = await http(app).get('/api/v1/webhooks').set(bearer(admin.accessToken)).expect(200);
    expect(JSON.stringify(list.body)).not.toContain('whsec_');
    await http(app)
      .post('/api/v1/webhooks')
      .set(bearer(admin.accessToken))
      .send({ url: r.url, events: ['nope'] })
      .expect(400);
    const user = await createUser(app);
    await http(app).get('/api/v1/webhooks').set(bearer(user.accessToken)).expect(403);
    await http(app).delete(`/api/v1/webhooks/${ep.id}`).set(bearer(admin.accessToken)).expect(204);
    await http(app).get(`/api/v1/webhooks/${ep.id}`).set(bearer(admin.accessToken)).expect(404);
  });

  it('signs a ping in the Standard Webhooks format; the helper verifies it and rejects any tampering', async () => {
    const r = await receiver();
    const ep = await endpoint(r.url);
    await http(app).post(`/api/v1/webhooks/${ep.id}/test`).set(bearer(admin.accessToken)).expect(202);
    await waitFor(
      async () => r.received.length,
      (n) => n >= 1,
    );
    const [msg] = r.received;
    expect(msg.headers['webhook-id']).toMatch(/^msg_/);
    expect(msg.headers['content-type']).toBe('application/json');
    const body = verifyWebhook(ep.secret, msg.headers, msg.body) as { type: string; timestamp: string; data: unknown };
    expect(body.type).toBe('webhook.ping');
    expect(Date.parse(body.timestamp)).not.toBeNaN();
    expect(() => verifyWebhook(ep.secret, msg.headers, msg.body.replace('ping', 'pong'))).toThrow(
      WebhookVerificationError,
    );
    const ts = Number(msg.headers['webhook-timestamp']);
    expect(() => verifyWebhook(ep.secret, { ...msg.headers, 'webhook-timestamp': String(ts - 1) }, msg.body)).toThrow(
      WebhookVerificationError,
    );
  });

  it('retries on the schedule until a receiver that fails twice succeeds, always with the same webhook-id', async () => {
    const r = await receiver((n, _req, res) => void res.writeHead(n < 2 ? 500 : 200).end(n < 2 ? 'boom' : 'ok'));
    const ep = await endpoint(r.url);
    const fb = await http(app)
      .post('/api/v1/feedback')
      .set('X-API-Key', apiKey)
      .send({ type: 'bug', message: 'retry me' })
      .expect(201);
    await waitFor(
      async () => r.received.length,
      (n) => n >= 3,
      20000,
    );
    await new Promise((res) => setTimeout(res, 1500));
    expect(r.received).toHaveLength(3);
    expect(new Set(r.received.map((m) => m.headers['webhook-id'])).size).toBe(1);
    for (const m of r.received)
      expect((verifyWebhook(ep.secret, m.headers, m.body) as { data: { id: string } }).data.id).toBe(fb.body.id);
    // Schedule 0,1,1: the retries wait about a second each.
    expect(r.received[1].at - r.received[0].at).toBeGreaterThanOrEqual(900);
    expect(r.received[2].at - r.received[1].at).toBeGreaterThanOrEqual(900);
    const page = await waitFor(
      () => deliveries(ep.id),
      (p) => p.items[0]?.status === 'succeeded',
    );
    expect(page.items).toHaveLength(1);
    const d = page.items[0];
    expect(d.messageId).toBe(r.received[0].headers['webhook-id']);
    expect(d.attemptLog.map((a: { statusCode: number }) => a.statusCode)).toEqual([500, 500, 200]);
    expect(d.attemptLog[0]).toMatchObject({ success: false, error: 'HTTP 500', responseSnippet: 'boom' });
    expect(d.attemptLog[2]).toMatchObject({ success: true, responseSnippet: 'ok' });

    // Redelivery: same message id, one more attempt, recorded.
    await http(app).post(`/api/v1/webhooks/deliveries/${d.id}/redeliver`).set(bearer(admin.accessToken)).expect(202);
    await waitFor(
      async () => r.received.length,
      (n) => n >= 4,
    );
    expect(r.received[3].headers['webhook-id']).toBe(d.messageId);
    const after = await waitFor(
      () => deliveries(ep.id),
      (p) => p.items[0]?.attemptLog.length === 4 && p.items[0].status === 'succeeded',
    );
    expect(after.items[0].attempts).toBe(4);
  });

  it('marks a delivery failed after every scheduled attempt to a receiver that never answers, each attempt recorded', async () => {
    const r = await receiver(() => false);
    const ep = await endpoint(r.url);
    await http(app)
      .post('/api/v1/feedback')
      .set('X-API-Key', apiKey)
      .send({ type: 'comment', message: 'nobody home' })
      .expect(201);
    const page = await waitFor(
      () => deliveries(ep.id),
      (p) => p.items[0]?.status === 'failed',
      20000,
    );
    const d = page.items[0];
    expect(d.attempts).toBe(3);
    expect(d.attemptLog).toHaveLength(3);
    for (const a of d.attemptLog) {
      expect(a).toMatchObject({ success: false, statusCode: null, error: 'no answer within 300 ms' });
      expect(a.latencyMs).toBeGreaterThanOrEqual(250);
    }
    expect(r.received).toHaveLength(3);
    const metrics = await http(app).get('/metrics').expect(200);
    expect(metrics.text).toContain(`webhook_deliveries_total{endpoint="${ep.id}",outcome="failed"} 1`);
    expect(metrics.text).toContain(`webhook_deliveries_total{endpoint="${ep.id}",outcome="retrying"} 2`);
    expect(metrics.text).toMatch(/webhook_attempt_duration_seconds_count\{outcome="failure"\} [1-9]/);
    expect(metrics.text).toMatch(/webhook_outbox_lag_seconds \d/);
  });

  it('signs with both secrets during the rotation overlap', async () => {
    const r = await receiver();
    const ep = await endpoint(r.url);
    const rot = await http(app)
      .post(`/api/v1/webhooks/${ep.id}/rotate-secret`)
      .set(bearer(admin.accessToken))
      .expect(200);
    const fresh = rot.body.secret as string;
    expect(fresh).not.toBe(ep.secret);
    expect(Date.parse(rot.body.endpoint.previousSecretExpiresAt)).toBeGreaterThan(Date.now());
    await http(app).post(`/api/v1/webhooks/${ep.id}/test`).set(bearer(admin.accessToken)).expect(202);
    await waitFor(
      async () => r.received.length,
      (n) => n >= 1,
    );
    const msg = r.received[0];
    expect(String(msg.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(() => verifyWebhook(fresh, msg.headers, msg.body)).not.toThrow();
    expect(() => verifyWebhook(ep.secret, msg.headers, msg.body)).not.toThrow();

    // Once the overlap is over only the new secret signs.
    await app
      .get(DataSource)
      .query(`UPDATE webhook_endpoints SET previous_secret_expires_at = now() - interval '1 second' WHERE id = $1`, [
        ep.id,
      ]);
    await http(app).post(`/api/v1/webhooks/${ep.id}/test`).set(bearer(admin.accessToken)).expect(202);
    await waitFor(
      async () => r.received.length,
      (n) => n >= 2,
    );
    expect(String(r.received[1].headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(() => verifyWebhook(ep.secret, r.received[1].headers, r.received[1].body)).toThrow(WebhookVerificationError);
  });

  it('disables (and audits) an endpoint that has been failing for WEBHOOK_DISABLE_AFTER_HOURS', async () => {
    const r = await receiver((_n, _req, res) => void res.writeHead(503).end());
    const ep = await endpoint(r.url);
    const ds = app.get(DataSource);
    await ds.query(`UPDATE webhook_endpoints SET failing_since = now() - interval '121 hours' WHERE id = $1`, [ep.id]);
    await http(app).post(`/api/v1/webhooks/${ep.id}/test`).set(bearer(admin.accessToken)).expect(202);
    const got = await waitFor(
      async () => (await http(app).get(`/api/v1/webhooks/${ep.id}`).set(bearer(admin.accessToken))).body,
      (b) => b.enabled === false,
    );
    expect(got.disabledReason).toMatch(/failing since/);
    const audit = await ds.query(
      `SELECT 1 FROM audit_log WHERE action = 'webhook.endpoint-auto-disabled' AND entity_id = $1`,
      [ep.id],
    );
    expect(audit).toHaveLength(1);
    // Re-enabling clears the streak.
    const back = await http(app)
      .patch(`/api/v1/webhooks/${ep.id}`)
      .set(bearer(admin.accessToken))
      .send({ enabled: true })
      .expect(200);
    expect(back.body).toMatchObject({ enabled: true, failingSince: null, disabledReason: null });
  });

  it('turns ingestion and defaults events from other modules into deliveries', async () => {
    const r = await receiver();
    const ep = await endpoint(r.url, ['ingestion.completed', 'defaults.changed']);
    // Other modules write their events through OutboxService in their own transactions.
    const outbox = app.get(OutboxService);
    const skipped = { robots: 0, duplicate: 0, type: 0, size: 0, depth: 0, error: 0 };
    const counters = { discovered: 3, fetched: 3, indexed: 3, unchanged: 0, skipped };
    await outbox.add('ingestion.completed', { sourceId: 's1', jobId: 'j1', userId: admin.id, counters });
    await outbox.add('defaults.changed', { key: 'theme', context: '', action: 'upsert' });
    await outbox.add('ingestion.failed', { sourceId: 's1', jobId: 'j2', userId: admin.id, counters, error: 'boom' });
    outbox.notify();
    await waitFor(
      async () => r.received.length,
      (n) => n >= 2,
    );
    await new Promise((res) => setTimeout(res, 500));
    const types = r.received.map((m) => (verifyWebhook(ep.secret, m.headers, m.body) as { type: string }).type).sort();
    expect(types).toEqual(['defaults.changed', 'ingestion.completed']);
  });

  it('deletes relayed events and finished deliveries (with attempts) older than WEBHOOK_RETENTION_DAYS', async () => {
    const ds = app.get(DataSource);
    const old: { id: string }[] = await ds.query(
      `UPDATE webhook_deliveries SET completed_at = now() - interval '31 days' WHERE status <> 'pending' RETURNING id`,
    );
    expect(old.length).toBeGreaterThan(0);
    const ids = old.map((d) => d.id);
    await ds.query(`UPDATE webhook_outbox SET relayed_at = now() - interval '31 days' WHERE relayed_at IS NOT NULL`);
    expect(await app.get(OutboxRelay).purge()).toBeGreaterThan(0);
    const left = async (sql: string) => (await ds.query(sql, [ids]))[0].n;
    expect(await left(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE id = ANY($1::uuid[])`)).toBe(0);
    expect(await left(`SELECT count(*)::int AS n FROM webhook_attempts WHERE delivery_id = ANY($1::uuid[])`)).toBe(0);
    expect(
      (await ds.query(`SELECT count(*)::int AS n FROM webhook_outbox WHERE relayed_at < now() - interval '30 days'`))[0]
        .n,
    ).toBe(0);
  });
});
