import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { bootApp } from './support/app';
import { FixturesController } from './support/fixtures.controller';

describe('rate limiting shared through Redis', () => {
  let a: NestFastifyApplication;
  let b: NestFastifyApplication;

  beforeAll(async () => {
    // Both instances share one key prefix, like two replicas of one deployment.
    const env = {
      RATE_LIMIT_THRESHOLD: '3',
      TIME_WINDOW_SECONDS: '30',
      REDIS_KEY_PREFIX: `nxt:rl:${randomBytes(4).toString('hex')}:`,
    };
    a = await bootApp(env, { controllers: [FixturesController] });
    b = await bootApp(env, { controllers: [FixturesController] });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  // Any throttled public route (live and ready are exempt for probes).
  const hit = (app: NestFastifyApplication) => request(app.getHttpServer()).get('/api/v1/test/items/1');

  it('counts one budget across two instances and answers 429 with Retry-After', async () => {
    const first = await hit(a);
    expect(first.status).toBe(200);
    expect(first.headers['x-ratelimit-limit']).toBe('3');
    expect(first.headers['x-ratelimit-remaining']).toBe('2');
    expect(first.headers['ratelimit-policy']).toBe('"default";q=3;w=30');
    expect((await hit(a)).status).toBe(200);
    expect((await hit(b)).status).toBe(200);

    const refusedA = await hit(a);
    expect(refusedA.status).toBe(429);
    expect(refusedA.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refusedA.body.code).toBe('rate-limited');
    expect(Number(refusedA.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refusedA.headers['retry-after'])).toBeLessThanOrEqual(30);

    const refusedB = await hit(b);
    expect(refusedB.status).toBe(429);
  });

  it('does not throttle liveness and readiness probes', async () => {
    for (let i = 0; i < 5; i++) await request(a.getHttpServer()).get('/api/v1/health/live').expect(200);
  });

  it('counts rejections in a metric', async () => {
    // /metrics is rate-limited too: scrape from an address that has budget left (a scraper's own).
    const res = await a
      .getHttpAdapter()
      .getInstance()
      .inject({ method: 'GET', url: '/metrics', remoteAddress: '10.0.0.99' });
    expect(res.statusCode).toBe(200);
    const value = Number(/^rate_limit_rejections_total (\d+)/m.exec(res.body)?.[1]);
    expect(value).toBeGreaterThanOrEqual(2);
  });
});
