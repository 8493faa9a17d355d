import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { bearer, bootAuthApp, createUser, http, TestUser } from '../support/auth';
import { waitFor } from '../support/redis-server';
import { isolateWebhooks, Receiver } from './receiver';

describe('Webhook SSRF guard (private networks closed, the default)', () => {
  let app: NestFastifyApplication;
  let admin: TestUser;
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = await Receiver.start();
    app = await bootAuthApp({
      WEBHOOK_RETRY_SCHEDULE: '0',
      WEBHOOK_RELAY_INTERVAL_MS: '100',
      WEBHOOK_TIMEOUT_MS: '1000',
    });
    await isolateWebhooks(app.get(DataSource));
    admin = await createUser(app, { admin: true });
  });
  afterAll(async () => {
    await app?.get(DataSource).query(`DELETE FROM webhook_endpoints`);
    await app?.close();
    await receiver?.close();
  });

  it('refuses private, loopback, link-local and non-http URLs when the endpoint is created or changed', async () => {
    for (const url of [
      receiver.url,
      'http://10.0.0.5/x',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]:8080/',
      'http://[::ffff:127.0.0.1]/',
    ]) {
      const res = await http(app)
        .post('/api/v1/webhooks')
        .set(bearer(admin.accessToken))
        .send({ url, events: ['*'] });
      expect([url, res.status, res.body.code]).toEqual([url, 400, 'egress-refused']);
    }
    await http(app)
      .post('/api/v1/webhooks')
      .set(bearer(admin.accessToken))
      .send({ url: 'ftp://example.com/x', events: ['*'] })
      .expect(400);
    const ok = await http(app)
      .post('/api/v1/webhooks')
      .set(bearer(admin.accessToken))
      .send({ url: 'https://hooks.example.com/x', events: ['*'] })
      .expect(201);
    const patch = await http(app)
      .patch(`/api/v1/webhooks/${ok.body.endpoint.id}`)
      .set(bearer(admin.accessToken))
      .send({ url: receiver.url })
      .expect(400);
    expect(patch.body.code).toBe('egress-refused');
    await http(app).delete(`/api/v1/webhooks/${ok.body.endpoint.id}`).set(bearer(admin.accessToken)).expect(204);
  });

  it('refuses at connect time a host name that resolves to loopback: the attempt fails and nothing reaches the receiver', async () => {
    const url = `http://localhost:${receiver.port}/hook`;
    const ep = await http(app)
      .post('/api/v1/webhooks')
      .set(bearer(admin.accessToken))
      .send({ url, events: ['*'] })
      .expect(201);
    const id = ep.body.endpoint.id;
    await http(app).post(`/api/v1/webhooks/${id}/test`).set(bearer(admin.accessToken)).expect(202);
    const page = await waitFor(
      async () => (await http(app).get(`/api/v1/webhooks/${id}/deliveries`).set(bearer(admin.accessToken))).body,
      (p) => p.items?.[0]?.status === 'failed',
    );
    expect(page.items[0].attemptLog[0].error).toMatch(/Refused to connect to localhost.*loopback/);
    expect(receiver.received).toHaveLength(0);
  });
});
