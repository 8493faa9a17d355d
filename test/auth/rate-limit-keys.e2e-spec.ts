import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { bearer, bootAuthApp, createUser, http, TestUser } from '../support/auth';

describe('rate limiting keyed by principal', () => {
  let setup: NestFastifyApplication;
  let limited: NestFastifyApplication;
  let alice: TestUser;
  let bob: TestUser;
  beforeAll(async () => {
    setup = await bootAuthApp();
    alice = await createUser(setup);
    bob = await createUser(setup);
    limited = await bootAuthApp({ RATE_LIMIT_THRESHOLD: '3', TIME_WINDOW_SECONDS: '60' });
  });
  afterAll(async () => {
    await limited.close();
    await setup.close();
  });

  it('counts authenticated requests per user, not per IP (same IP, separate budgets)', async () => {
    for (let i = 0; i < 3; i++)
      expect((await http(limited).get('/api/v1/auth/me').set(bearer(alice.accessToken))).status).toBe(200);
    expect((await http(limited).get('/api/v1/auth/me').set(bearer(alice.accessToken))).status).toBe(429);
    expect((await http(limited).get('/api/v1/auth/me').set(bearer(bob.accessToken))).status).toBe(200);
  });

  it('counts API-key requests per key', async () => {
    const key = await http(setup)
      .post('/api/v1/api-keys')
      .set(bearer(bob.accessToken))
      .send({ name: 'rl', scopes: ['profile:read'] });
    for (let i = 0; i < 3; i++)
      expect((await http(limited).get('/api/v1/auth/me').set('X-API-Key', key.body.secret)).status).toBe(200);
    expect((await http(limited).get('/api/v1/auth/me').set('X-API-Key', key.body.secret)).status).toBe(429);
  });
});
