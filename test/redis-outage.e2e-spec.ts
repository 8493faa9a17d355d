import { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { AppCache } from '../src/common/cache/app-cache.service';
import { bootApp } from './support/app';
import { AUTH_TEST_ENV, bearer, createUser, TestUser } from './support/auth';
import { TestRedisServer, waitFor } from './support/redis-server';

describe('Redis cache and outages (private redis-server)', () => {
  let redis: TestRedisServer;
  let app: NestFastifyApplication;
  let admin: TestUser;
  const prefix = 'nxt:outage:';

  beforeAll(async () => {
    redis = await TestRedisServer.start();
    app = await bootApp({
      ...AUTH_TEST_ENV,
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: prefix,
      REDIS_COMMAND_TIMEOUT_MS: '300',
    });
    admin = await createUser(app, { admin: true });
  });
  afterAll(async () => {
    await app?.close();
    await redis?.stop();
  });

  const ready = () => request(app.getHttpServer()).get('/api/v1/health/ready');

  it('stores cached values in Redis itself, not in process memory', async () => {
    const cache = app.get(AppCache);
    expect(await cache.set('probe:key', { answer: 42 }, 60)).toBe(true);
    const raw = redis.client();
    try {
      const keys = await raw.keys(`${prefix}*probe:key*`);
      expect(keys).toHaveLength(1);
      expect(await raw.get(keys[0])).toContain('"answer":42');
      const ttl = await raw.pttl(keys[0]);
      expect(ttl).toBeGreaterThan(50_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
    } finally {
      raw.disconnect();
    }
    expect(await cache.get('probe:key')).toEqual({ answer: 42 });
  });

  it('read-through loads once, then serves from the cache', async () => {
    const cache = app.get(AppCache);
    let loads = 0;
    const loader = async () => ({ n: ++loads });
    expect(await cache.wrap('probe:wrap', loader, 60)).toEqual({ n: 1 });
    expect(await cache.wrap('probe:wrap', loader, 60)).toEqual({ n: 1 });
    await cache.del('probe:wrap');
    expect(await cache.wrap('probe:wrap', loader, 60)).toEqual({ n: 2 });
  });

  it('keeps serving while Redis is down, reports not-ready, and recovers when it returns', async () => {
    await ready().expect(200);
    await redis.stop();

    const down = await waitFor(
      () => ready(),
      (r) => r.status === 503,
    );
    expect(down.status).toBe(503);
    expect(down.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(down.body.error.redis.status).toBe('down');
    expect(down.body.details.database.status).toBe('up');

    // Cache calls degrade to misses/no-ops; throttled routes stay up (limiter fails open).
    const cache = app.get(AppCache);
    const started = Date.now();
    expect(await cache.get('probe:key')).toBeUndefined();
    expect(await cache.set('probe:other', 1)).toBe(false);
    expect(await cache.wrap('probe:wrap2', async () => 'from-loader')).toBe('from-loader');
    expect(Date.now() - started).toBeLessThan(3000);
    // Authenticated requests keep working too (user status falls back to Postgres).
    const detailed = await request(app.getHttpServer())
      .get('/api/v1/health/detailed')
      .set(bearer(admin.accessToken))
      .expect(200);
    expect(detailed.body.dependencies.redis.status).toBe('down');

    const metrics = await request(app.getHttpServer()).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/cache_operations_total\{op="get",result="error"\} [1-9]/);
    expect(metrics.text).toMatch(/redis_degraded_operations_total\{component="rate-limit"\} [1-9]/);

    await redis.start();
    const back = await waitFor(
      () => ready(),
      (r) => r.status === 200,
      20000,
    );
    expect(back.status).toBe(200);
    await waitFor(
      () => cache.set('probe:again', 'yes'),
      (ok) => ok,
      10000,
    );
    expect(await cache.get('probe:again')).toBe('yes');
  });
});
