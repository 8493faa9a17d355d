import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { bearer, bootAuthApp, createUser, http, login, PASSWORD, TestUser } from '../support/auth';

const NEW_PASSWORD = 'another-horse-battery-7';

/**
 * The probe's finding: access tokens outlived logout, logout-all, password change and refresh
 * reuse detection because the token's `sid` was never checked. Two instances share Redis, like
 * two replicas: a revocation on one must stop the token on the other at once too.
 */
describe('access tokens die with their session', () => {
  let a: NestFastifyApplication;
  let b: NestFastifyApplication;
  beforeAll(async () => {
    a = await bootAuthApp();
    b = await bootAuthApp();
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  const me = (app: NestFastifyApplication, token: string) => http(app).get('/api/v1/auth/me').set(bearer(token));
  /** Both instances have the session cached as live before it is revoked. */
  const warm = async (token: string) => {
    expect((await me(a, token)).status).toBe(200);
    expect((await me(b, token)).status).toBe(200);
  };

  it('logout: the access token of that session gets 401 at once, other sessions keep working', async () => {
    const u = await createUser(a);
    const other = await login(a, u.email);
    await warm(u.accessToken);
    expect((await http(a).post('/api/v1/auth/logout').set(bearer(u.accessToken))).status).toBe(204);
    const res = await me(b, u.accessToken);
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect((await me(a, u.accessToken)).status).toBe(401);
    expect((await me(b, other.accessToken)).status).toBe(200);
  });

  it('logout-all: every access token of the user gets 401 at once', async () => {
    const u = await createUser(a);
    const other = await login(a, u.email);
    await warm(u.accessToken);
    await warm(other.accessToken);
    expect((await http(b).post('/api/v1/auth/logout-all').set(bearer(other.accessToken))).status).toBe(204);
    expect((await me(a, u.accessToken)).status).toBe(401);
    expect((await me(a, other.accessToken)).status).toBe(401);
    expect((await me(b, u.accessToken)).status).toBe(401);
  });

  it('password change: the other sessions’ access tokens get 401 at once, the current one keeps working', async () => {
    const u = await createUser(a);
    const other = await login(a, u.email);
    await warm(other.accessToken);
    const changed = await http(a)
      .post('/api/v1/auth/me/password')
      .set(bearer(u.accessToken))
      .send({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
    expect(changed.status).toBe(204);
    expect((await me(b, other.accessToken)).status).toBe(401);
    expect((await me(a, other.accessToken)).status).toBe(401);
    expect((await me(b, u.accessToken)).status).toBe(200);
  });

  it('refresh-token reuse: the session’s access tokens (old and freshly issued) get 401 at once', async () => {
    const u = await createUser(a);
    const rotated = await http(a).post('/api/v1/auth/refresh').send({ refreshToken: u.refreshToken });
    expect(rotated.status).toBe(200);
    await warm(u.accessToken);
    await warm(rotated.body.accessToken);
    expect((await http(b).post('/api/v1/auth/refresh').send({ refreshToken: u.refreshToken })).status).toBe(401);
    expect((await me(a, u.accessToken)).status).toBe(401);
    expect((await me(a, rotated.body.accessToken)).status).toBe(401);
    expect((await me(b, rotated.body.accessToken)).status).toBe(401);
  });

  describe('password change and API keys', () => {
    const createKey = async (u: TestUser) => {
      const res = await http(a)
        .post('/api/v1/api-keys')
        .set(bearer(u.accessToken))
        .send({ name: 'k', scopes: ['profile:read'] });
      expect(res.status).toBe(201);
      return res.body.secret as string;
    };
    const withKey = (app: NestFastifyApplication, secret: string) =>
      http(app).get('/api/v1/auth/me').set('X-API-Key', secret);

    it('keeps API keys by default', async () => {
      const u = await createUser(a);
      const secret = await createKey(u);
      expect((await withKey(b, secret)).status).toBe(200);
      await http(a)
        .post('/api/v1/auth/me/password')
        .set(bearer(u.accessToken))
        .send({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD })
        .expect(204);
      expect((await withKey(b, secret)).status).toBe(200);
    });

    it('revokeApiKeys: true stops every API key of the user at once', async () => {
      const u = await createUser(a);
      const one = await createKey(u);
      const two = await createKey(u);
      expect((await withKey(b, one)).status).toBe(200);
      expect((await withKey(b, two)).status).toBe(200);
      await http(a)
        .post('/api/v1/auth/me/password')
        .set(bearer(u.accessToken))
        .send({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD, revokeApiKeys: true })
        .expect(204);
      expect((await withKey(b, one)).status).toBe(401);
      expect((await withKey(a, two)).status).toBe(401);
      const list = await http(a).get('/api/v1/api-keys').set(bearer(u.accessToken));
      expect(list.status).toBe(200);
      expect(list.body).toEqual([]);
    });

    it('rejects a non-boolean revokeApiKeys with a 400 problem', async () => {
      const u = await createUser(a);
      const res = await http(a)
        .post('/api/v1/auth/me/password')
        .set(bearer(u.accessToken))
        .send({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD, revokeApiKeys: 'yes' });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    });
  });
});
