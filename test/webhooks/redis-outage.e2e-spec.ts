import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { verifyWebhook } from '../../src/modules/webhooks/verify-webhook';
import { bearer, bootAuthApp, createUser, http } from '../support/auth';
import { TestRedisServer, waitFor } from '../support/redis-server';
import { isolateWebhooks, Receiver, WEBHOOK_TEST_ENV } from './receiver';

describe('Webhooks while Redis is down (private redis-server)', () => {
  let redis: TestRedisServer;
  let app: NestFastifyApplication;
  let receiver: Receiver;

  beforeAll(async () => {
    redis = await TestRedisServer.start();
    receiver = await Receiver.start();
    app = await bootAuthApp({
      ...WEBHOOK_TEST_ENV,
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: 'nxt:whoutage:',
      REDIS_COMMAND_TIMEOUT_MS: '300',
    });
    await isolateWebhooks(app.get(DataSource));
  });
  afterAll(async () => {
    await app?.get(DataSource).query(`DELETE FROM webhook_endpoints`);
    await app?.close();
    await receiver?.close();
    await redis?.stop();
  });

  it('accepts feedback while Redis is stopped and delivers every event once it is back, none lost', async () => {
    const admin = await createUser(app, { admin: true });
    const key = (
      await http(app)
        .post('/api/v1/api-keys')
        .set(bearer(admin.accessToken))
        .send({ name: 'k', scopes: ['feedback:write'] })
        .expect(201)
    ).body.secret;
    const ep = (
      await http(app)
        .post('/api/v1/webhooks')
        .set(bearer(admin.accessToken))
        .send({ url: receiver.url, events: ['feedback.received'] })
        .expect(201)
    ).body;

    // Warm path works first.
    const before = await http(app)
      .post('/api/v1/feedback')
      .set('X-API-Key', key)
      .send({ type: 'bug', message: 'before' })
      .expect(201);
    await waitFor(
      async () => receiver.received.length,
      (n) => n >= 1,
    );

    await redis.stop();
    const ids: string[] = [before.body.id];
    for (let i = 0; i < 5; i++) {
      const res = await http(app)
        .post('/api/v1/feedback')
        .set('X-API-Key', key)
        .send({ type: 'comment', message: `during outage ${i}` });
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    await new Promise((r) => setTimeout(r, 1000));
    expect(receiver.received).toHaveLength(1);
    const [{ pending }] = await app
      .get(DataSource)
      .query(`SELECT count(*)::int AS pending FROM webhook_deliveries WHERE endpoint_id = $1 AND enqueued_at IS NULL`, [
        ep.endpoint.id,
      ]);
    expect(pending).toBe(5);

    await redis.start();
    await waitFor(
      async () => receiver.received.length,
      (n) => n >= 6,
      30000,
    );
    await new Promise((r) => setTimeout(r, 500));
    const got = receiver.received.map(
      (m) => (verifyWebhook(ep.secret, m.headers, m.body) as { data: { id: string } }).data.id,
    );
    expect(got.sort()).toEqual([...ids].sort());
  });
});
