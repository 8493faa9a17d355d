import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { bootAuthApp, createUser, http, PASSWORD, TestUser } from '../support/auth';

const LIMITS = {
  LOGIN_MAX_FAILURES_PER_EMAIL: '3',
  LOGIN_MAX_FAILURES_PER_IP: '8',
  LOGIN_FAILURE_WINDOW_SECONDS: '2',
  TRUST_PROXY: 'true',
};

describe('brute-force lockout', () => {
  let a: NestFastifyApplication;
  let b: NestFastifyApplication;
  let user: TestUser;
  beforeAll(async () => {
    // Two instances sharing one Redis (same key prefix), like two replicas.
    a = await bootAuthApp(LIMITS);
    b = await bootAuthApp(LIMITS);
    user = await createUser(a);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  const attempt = (app: NestFastifyApplication, email: string, password: string, ip = '10.0.0.1') =>
    http(app).post('/api/v1/auth/login').set('X-Forwarded-For', ip).send({ email, password });

  it('locks an email after N failures counted across both instances, with 429 + Retry-After, then unlocks', async () => {
    expect((await attempt(a, user.email, 'wrong-password-1')).status).toBe(401);
    expect((await attempt(b, user.email, 'wrong-password-2')).status).toBe(401);
    expect((await attempt(a, user.email, 'wrong-password-3')).status).toBe(401);
    const locked = await attempt(b, user.email, PASSWORD);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(2);
    expect(locked.body.code).toBe('login-locked');
    expect((await attempt(a, user.email, PASSWORD)).status).toBe(429);
    await new Promise((r) => setTimeout(r, 2100));
    expect((await attempt(a, user.email, PASSWORD)).status).toBe(200);
  });

  it('a success clears the email counter', async () => {
    const u = await createUser(a);
    await attempt(a, u.email, 'wrong-password-1', '10.0.0.2');
    await attempt(b, u.email, 'wrong-password-2', '10.0.0.2');
    expect((await attempt(a, u.email, PASSWORD, '10.0.0.2')).status).toBe(200);
    await attempt(a, u.email, 'wrong-password-3', '10.0.0.2');
    await attempt(b, u.email, 'wrong-password-4', '10.0.0.2');
    expect((await attempt(b, u.email, PASSWORD, '10.0.0.2')).status).toBe(200);
  });

  it('locks an IP spraying many emails after the per-IP limit, other IPs unaffected', async () => {
    const victim = await createUser(a);
    for (let i = 0; i < 8; i++) {
      expect((await attempt(i % 2 ? a : b, `nobody-${i}@example.test`, 'wrong-password-1', '10.0.0.3')).status).toBe(
        401,
      );
    }
    expect((await attempt(a, victim.email, PASSWORD, '10.0.0.3')).status).toBe(429);
    expect((await attempt(a, victim.email, PASSWORD, '10.0.0.4')).status).toBe(200);
  });
});

describe('login limiter when Redis is unreachable', () => {
  const DEAD_REDIS = { REDIS_URL: 'redis://127.0.0.1:6399', REDIS_COMMAND_TIMEOUT_MS: '100' };
  let live: NestFastifyApplication;
  let user: TestUser;
  beforeAll(async () => {
    live = await bootAuthApp();
    user = await createUser(live);
  });
  afterAll(() => live.close());

  it('fails open by default: logins still answer 200/401, never 500', async () => {
    const app = await bootAuthApp(DEAD_REDIS);
    try {
      expect(
        (await http(app).post('/api/v1/auth/login').send({ email: user.email, password: 'wrong-password-1' })).status,
      ).toBe(401);
      expect((await http(app).post('/api/v1/auth/login').send({ email: user.email, password: PASSWORD })).status).toBe(
        200,
      );
    } finally {
      await app.close();
    }
  });

  it('fails closed when configured: 503 with Retry-After', async () => {
    const app = await bootAuthApp({ ...DEAD_REDIS, LOGIN_LIMITER_FAIL_MODE: 'closed' });
    try {
      const res = await http(app).post('/api/v1/auth/login').send({ email: user.email, password: PASSWORD });
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
    } finally {
      await app.close();
    }
  });
});
