import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { UsageCounter } from '../../src/modules/defaults/usage-counter';
import { bearer, bootAuthApp, createUser, http, TestUser } from '../support/auth';
import { TestRedisServer, waitFor } from '../support/redis-server';

describe('defaults with Redis stopped mid-test (private redis-server)', () => {
  let redis: TestRedisServer;
  let app: NestFastifyApplication;
  let admin: TestUser;
  const base = '/api/v1/defaults';
  const put = (key: string, body: object) => http(app).put(`${base}/${key}`).set(bearer(admin.accessToken)).send(body);
  const get = (key: string, context = '') =>
    http(app).get(`${base}/${key}`).query({ context }).set(bearer(admin.accessToken));

  beforeAll(async () => {
    redis = await TestRedisServer.start();
    app = await bootAuthApp({
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: 'nxt:defout:',
      REDIS_COMMAND_TIMEOUT_MS: '300',
      DEFAULTS_USAGE_FLUSH_SECONDS: '3600',
    });
    admin = await createUser(app, { admin: true });
  });
  afterAll(async () => {
    await app?.close();
    await redis?.stop();
  });

  it('reads from Postgres, writes succeed and nothing is a 500 while Redis is down; fresh values after it returns', async () => {
    const created = await put('out.key', { context: 'team=ops', value: 'before' }).expect(201);
    expect((await get('out.key', 'team=ops').expect(200)).body.value).toBe('before');
    await get('out.missing').expect(404);

    await redis.stop();
    expect((await get('out.key', 'team=ops;env=prod').expect(200)).body).toMatchObject({
      value: 'before',
      match: 'fallback',
    });
    await put('out.key', { context: 'team=ops', value: 'during' }).expect(200);
    expect((await get('out.key', 'team=ops').expect(200)).body.value).toBe('during');
    await put('out.missing', { value: 'exists now' }).expect(201);
    expect((await get('out.missing').expect(200)).body.value).toBe('exists now');
    await http(app)
      .post(`${base}/batch`)
      .set(bearer(admin.accessToken))
      .send({ items: [{ op: 'upsert', key: 'out.batch', value: 1 }] })
      .expect(200);
    await http(app)
      .post(`${base}/predict`)
      .set(bearer(admin.accessToken))
      .send({ key: 'out.key', context: 'team=ops' })
      .expect(200);
    await http(app)
      .post(`${base}/feedback`)
      .set(bearer(admin.accessToken))
      .send({ key: 'out.key', context: 'team=ops', value: 'during', outcome: 'accepted' })
      .expect(201);

    // Usage counted in memory while Redis is away still reaches Postgres.
    await app.get(UsageCounter).flush();
    const [row] = await app
      .get(DataSource)
      .query(`SELECT usage_count FROM default_values WHERE id = $1`, [created.body.id]);
    expect(Number(row.usage_count)).toBeGreaterThanOrEqual(2);

    await redis.start();
    const back = await waitFor(
      () => get('out.key', 'team=ops'),
      (r) => r.status === 200,
    );
    expect(back.body.value).toBe('during');
    expect((await get('out.missing').expect(200)).body.value).toBe('exists now');
    await put('out.key', { context: 'team=ops', value: 'after' }).expect(200);
    expect((await get('out.key', 'team=ops').expect(200)).body.value).toBe('after');
  });
});
