import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { ApiKeysRepository } from '../src/modules/auth/api-keys/api-keys.repository';
import { bootApp } from './support/app';
import { AUTH_TEST_ENV, bearer, createUser } from './support/auth';
import { FixturesController } from './support/fixtures.controller';

/**
 * The limiter at the edge, as an outside probe attacked it: floods of failed authentication,
 * identities chosen through X-Forwarded-For, the public scrape and document routes, and the
 * headers a client needs to back off (on 429 as on 2xx).
 */
describe('rate limiting at the edge', () => {
  let app: NestFastifyApplication;
  let lookups: jest.SpyInstance;

  beforeAll(async () => {
    app = await bootApp(
      {
        ...AUTH_TEST_ENV,
        RATE_LIMIT_THRESHOLD: '3',
        TIME_WINDOW_SECONDS: '30',
        AUTH_FAILURE_LIMIT: '3',
        AUTH_FAILURE_WINDOW_SECONDS: '30',
        // One proxy (like Railway's) appends the address it saw to X-Forwarded-For.
        TRUST_PROXY: 'true',
        TRUST_PROXY_HOPS: '1',
      },
      { controllers: [FixturesController] },
    );
    lookups = jest.spyOn(app.get(ApiKeysRepository), 'findByPrefix');
  });
  afterAll(() => app.close());

  /** A fresh client address per test keeps the budgets of one test out of the next. */
  let n = 0;
  const nextIp = () => `203.0.113.${++n}`;
  const get = (url: string, ip: string, headers: Record<string, string> = {}) =>
    app
      .getHttpAdapter()
      .getInstance()
      .inject({ method: 'GET', url, headers: { 'x-forwarded-for': ip, ...headers } });
  const randomKey = () => `nxk_${randomBytes(6).toString('hex')}_${randomBytes(32).toString('hex')}`;

  it('sends RateLimit-Policy and RateLimit (IETF draft syntax) on 2xx and 429, and Retry-After on 429', async () => {
    const ip = nextIp();
    const first = await get('/api/v1/test/items/1', ip);
    expect(first.statusCode).toBe(200);
    expect(first.headers['ratelimit-policy']).toBe('"default";q=3;w=30');
    expect(first.headers['ratelimit']).toMatch(/^"default";r=2;t=([1-9]|[12]\d|30)$/);
    await get('/api/v1/test/items/1', ip);
    await get('/api/v1/test/items/1', ip);
    const refused = await get('/api/v1/test/items/1', ip);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.headers['ratelimit-policy']).toBe('"default";q=3;w=30');
    expect(refused.headers['ratelimit']).toMatch(/^"default";r=0;t=\d+$/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(30);
  });

  it('takes the client IP one trusted hop from the right: a forged leftmost X-Forwarded-For does not change the identity', async () => {
    const real = nextIp();
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await get('/api/v1/test/items/1', `10.${i}.0.1, ${real}`)).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    // Another client behind the same proxy keeps its own budget.
    expect((await get('/api/v1/test/items/1', `10.0.0.1, ${nextIp()}`)).statusCode).toBe(200);
  });

  it('answers 429 to a flood of random API keys once the per-IP failure budget is spent, before any lookup', async () => {
    const ip = nextIp();
    for (let i = 0; i < 3; i++)
      expect((await get('/api/v1/auth/me', ip, { 'x-api-key': randomKey() })).statusCode).toBe(401);
    const before = lookups.mock.calls.length;
    for (let i = 0; i < 20; i++) {
      const res = await get('/api/v1/auth/me', ip, { 'x-api-key': randomKey() });
      expect(res.statusCode).toBe(429);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(res.body).code).toBe('rate-limited');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(res.headers['ratelimit-policy']).toBe('"auth-failures";q=3;w=30');
      expect(res.headers['ratelimit']).toMatch(/^"auth-failures";r=0;t=\d+$/);
    }
    expect(lookups.mock.calls.length).toBe(before);
    // Bearer garbage and requests without credentials from that IP are refused the same way.
    expect((await get('/api/v1/auth/me', ip, bearer('garbage'))).statusCode).toBe(429);
    expect((await get('/api/v1/auth/me', ip)).statusCode).toBe(429);
    // Other clients are not affected.
    expect((await get('/api/v1/auth/me', nextIp(), { 'x-api-key': randomKey() })).statusCode).toBe(401);
  });

  it('counts bearer garbage and missing credentials against the same budget', async () => {
    const ip = nextIp();
    expect((await get('/api/v1/auth/me', ip, bearer('garbage'))).statusCode).toBe(401);
    expect((await get('/api/v1/auth/me', ip)).statusCode).toBe(401);
    expect((await get('/api/v1/auth/me', ip, bearer('x.y.z'))).statusCode).toBe(401);
    expect((await get('/api/v1/auth/me', ip, bearer('garbage'))).statusCode).toBe(429);
  });

  it('looks up only well-formed keys, and an unknown prefix only once for a while', async () => {
    const before = lookups.mock.calls.length;
    await get('/api/v1/auth/me', nextIp(), { 'x-api-key': 'nxk_not-a-key' });
    await get('/api/v1/auth/me', nextIp(), { 'x-api-key': `nxk_${'A'.repeat(12)}_${'0'.repeat(64)}` });
    expect(lookups.mock.calls.length).toBe(before);
    const prefix = randomBytes(6).toString('hex');
    for (let i = 0; i < 3; i++) {
      const res = await get('/api/v1/auth/me', nextIp(), {
        'x-api-key': `nxk_${prefix}_${randomBytes(32).toString('hex')}`,
      });
      expect(res.statusCode).toBe(401);
    }
    expect(lookups.mock.calls.length).toBe(before + 1);
  });

  it('a valid user is still served (the budget counts failures only)', async () => {
    const user = await createUser(app);
    const ip = nextIp();
    for (let i = 0; i < 3; i++)
      expect((await get('/api/v1/auth/me', ip, bearer(user.accessToken))).statusCode).toBe(200);
  });

  it('limits /metrics and /docs/json per client like the API', async () => {
    // Swagger UI's own routes (page, init script with the embedded document) too.
    for (const url of ['/metrics', '/docs/json', '/docs/swagger-ui-init.js', '/docs']) {
      const ip = nextIp();
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await get(url, ip)).statusCode);
      expect(`${url} ${statuses.join(',')}`).toBe(`${url} 200,200,200,429`);
    }
  });
});
