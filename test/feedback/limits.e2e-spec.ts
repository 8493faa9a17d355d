import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { bearer, bootAuthApp, createUser, http } from '../support/auth';

describe('Feedback limits: anonymous clients and the shared rate limiter', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await bootAuthApp({ FEEDBACK_ALLOW_ANONYMOUS: 'true', RATE_LIMIT_THRESHOLD: '6', TIME_WINDOW_SECONDS: '30' });
  });
  afterAll(() => app?.close());

  const body = { type: 'comment', message: 'hello' };

  it('accepts anonymous feedback when enabled, still checks credentials that are sent, and limits each client separately with 429 + Retry-After', async () => {
    const anon = await http(app).post('/api/v1/feedback').send(body).expect(201);
    expect(anon.body.userId).toBeNull();
    // Sent credentials are checked even though anonymous is allowed.
    await http(app).post('/api/v1/feedback').set('X-API-Key', 'nxk_wrong_wrong').send(body).expect(401);

    // The refused key never reached the limiter (auth runs first): 1 of 6 used.
    for (let i = 0; i < 5; i++) await http(app).post('/api/v1/feedback').send(body).expect(201);
    const limited = await http(app).post('/api/v1/feedback').send(body).expect(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(limited.body.code).toBe('rate-limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(30);
  });

  it('counts an authenticated client against its own budget, not the IP', async () => {
    // Register + login are on the IP budget, which is spent: use a fresh app-level user via the DB-less path.
    const other = await bootAuthApp({
      FEEDBACK_ALLOW_ANONYMOUS: 'true',
      RATE_LIMIT_THRESHOLD: '6',
      TIME_WINDOW_SECONDS: '30',
      REDIS_KEY_PREFIX: `nxt:fblim2:${Date.now()}:`,
    });
    try {
      const user = await createUser(other);
      for (let i = 0; i < 6; i++)
        await http(other).post('/api/v1/feedback').set(bearer(user.accessToken)).send(body).expect(201);
      await http(other).post('/api/v1/feedback').set(bearer(user.accessToken)).send(body).expect(429);
      // The IP itself still has budget left (register + login used 2).
      await http(other).post('/api/v1/feedback').send(body).expect(201);
      const metrics = await http(other).get('/metrics');
      // One 429 per test in this file (both apps count into the process-wide registry).
      expect(metrics.text).toMatch(/feedback_received_total\{type="comment",outcome="429"\} 2\n/);
    } finally {
      await other.close();
    }
  });
});
