import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { ApiKeyUsageTracker } from '../../src/modules/auth/api-keys/api-key-usage.tracker';
import { bearer, bootAuthApp, createUser, http, login, TestUser } from '../support/auth';

describe('sessions and API keys', () => {
  let app: NestFastifyApplication;
  let alice: TestUser;
  let bob: TestUser;
  beforeAll(async () => {
    app = await bootAuthApp({ API_KEY_ROTATION_GRACE_SECONDS: '2', API_KEY_LAST_USED_FLUSH_SECONDS: '3600' });
    alice = await createUser(app);
    bob = await createUser(app);
  });
  afterAll(() => app.close());

  const createKey = async (user: TestUser, scopes = ['profile:read']) => {
    const res = await http(app).post('/api/v1/api-keys').set(bearer(user.accessToken)).send({ name: 'ci', scopes });
    expect(res.status).toBe(201);
    return res.body as { key: { id: string; prefix: string }; secret: string };
  };
  const withKey = (secret: string) => http(app).get('/api/v1/auth/me').set('X-API-Key', secret);

  it('lists active sessions with metadata and revokes one', async () => {
    await login(app, alice.email);
    const list = await http(app).get('/api/v1/auth/sessions').set(bearer(alice.accessToken)).set('User-Agent', 'jest');
    expect(list.status).toBe(200);
    expect(list.body.length).toBeGreaterThanOrEqual(2);
    expect(list.body[0]).toEqual(
      expect.objectContaining({
        id: expect.any(String),
        createdAt: expect.any(String),
        lastUsedAt: expect.any(String),
        ip: expect.any(String),
      }),
    );
    const target = list.body.find((s: { current: boolean }) => !s.current);
    expect((await http(app).delete(`/api/v1/auth/sessions/${target.id}`).set(bearer(alice.accessToken))).status).toBe(
      204,
    );
    const after = await http(app).get('/api/v1/auth/sessions').set(bearer(alice.accessToken));
    expect(after.body.map((s: { id: string }) => s.id)).not.toContain(target.id);
  });

  it("answers 404 when a user reads or revokes another user's session or key", async () => {
    const bobSessions = await http(app).get('/api/v1/auth/sessions').set(bearer(bob.accessToken));
    const bobSession = bobSessions.body[0].id;
    expect((await http(app).delete(`/api/v1/auth/sessions/${bobSession}`).set(bearer(alice.accessToken))).status).toBe(
      404,
    );
    const aliceSessions = await http(app).get('/api/v1/auth/sessions').set(bearer(alice.accessToken));
    expect(aliceSessions.body.map((s: { id: string }) => s.id)).not.toContain(bobSession);
    const bobKey = await createKey(bob);
    expect((await http(app).delete(`/api/v1/api-keys/${bobKey.key.id}`).set(bearer(alice.accessToken))).status).toBe(
      404,
    );
    expect(
      (await http(app).post(`/api/v1/api-keys/${bobKey.key.id}/rotate`).set(bearer(alice.accessToken))).status,
    ).toBe(404);
    const aliceKeys = await http(app).get('/api/v1/api-keys').set(bearer(alice.accessToken));
    expect(aliceKeys.body.map((k: { id: string }) => k.id)).not.toContain(bobKey.key.id);
    expect((await withKey(bobKey.secret)).status).toBe(200);
  });

  it('logout revokes the current session, logout-all every session', async () => {
    const a = await login(app, alice.email);
    const b = await login(app, alice.email);
    expect((await http(app).post('/api/v1/auth/logout').set(bearer(a.accessToken))).status).toBe(204);
    expect((await http(app).post('/api/v1/auth/refresh').send({ refreshToken: a.refreshToken })).status).toBe(401);
    expect((await http(app).post('/api/v1/auth/refresh').send({ refreshToken: b.refreshToken })).status).toBe(200);
    const c = await login(app, alice.email);
    expect((await http(app).post('/api/v1/auth/logout-all').set(bearer(c.accessToken))).status).toBe(204);
    expect((await http(app).post('/api/v1/auth/refresh').send({ refreshToken: c.refreshToken })).status).toBe(401);
    // The access token died with its session (test/auth/token-revocation.e2e-spec.ts).
    expect((await http(app).get('/api/v1/auth/sessions').set(bearer(c.accessToken))).status).toBe(401);
    alice = { ...alice, ...(await login(app, alice.email)) };
    const left = await http(app).get('/api/v1/auth/sessions').set(bearer(alice.accessToken));
    expect(left.body.map((s: { current: boolean }) => s.current)).toEqual([true]);
  });

  it('creates a key shown once as nxk_<prefix>_<secret>, stored only as an HMAC digest', async () => {
    const { key, secret } = await createKey(alice);
    expect(secret).toMatch(new RegExp(`^nxk_${key.prefix}_[0-9a-f]{64}$`));
    const list = await http(app).get('/api/v1/api-keys').set(bearer(alice.accessToken));
    expect(JSON.stringify(list.body)).not.toContain(secret.split('_')[2]);
    const [row] = await app.get(DataSource).query('SELECT secret_hash FROM api_keys WHERE id = $1', [key.id]);
    expect(row.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.secret_hash).not.toContain(secret.split('_')[2]);
    const me = await withKey(secret);
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(alice.id);
  });

  it('rejects malformed, unknown and tampered keys with 401', async () => {
    const { secret } = await createKey(alice);
    const flipped = secret.slice(0, -1) + (secret.endsWith('0') ? '1' : '0');
    for (const k of ['nope', `nxk_000000000000_${'0'.repeat(64)}`, flipped])
      expect((await withKey(k)).status).toBe(401);
  });

  it('checks scopes: a key without the route scope gets 403, and keys cannot manage keys', async () => {
    const { secret } = await createKey(alice, ['defaults:read']);
    expect((await withKey(secret)).status).toBe(403);
    expect((await http(app).get('/api/v1/api-keys').set('X-API-Key', secret)).status).toBe(403);
    expect(
      (
        await http(app)
          .post('/api/v1/api-keys')
          .set(bearer(alice.accessToken))
          .send({ name: 'x', scopes: ['root'] })
      ).status,
    ).toBe(400);
  });

  it('rotation: old and new secrets both work during the grace period, then only the new one', async () => {
    const { key, secret: oldSecret } = await createKey(alice);
    const rotated = await http(app).post(`/api/v1/api-keys/${key.id}/rotate`).set(bearer(alice.accessToken));
    expect(rotated.status).toBe(200);
    const newSecret = rotated.body.secret as string;
    expect(newSecret).not.toBe(oldSecret);
    expect((await withKey(oldSecret)).status).toBe(200);
    expect((await withKey(newSecret)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 2200));
    expect((await withKey(oldSecret)).status).toBe(401);
    expect((await withKey(newSecret)).status).toBe(200);
  });

  it('revocation stops a key at once, and an expired key stops working', async () => {
    const { key, secret } = await createKey(alice);
    expect((await withKey(secret)).status).toBe(200);
    expect((await http(app).delete(`/api/v1/api-keys/${key.id}`).set(bearer(alice.accessToken))).status).toBe(204);
    expect((await withKey(secret)).status).toBe(401);
    const soon = new Date(Date.now() + 1500).toISOString();
    const res = await http(app)
      .post('/api/v1/api-keys')
      .set(bearer(alice.accessToken))
      .send({ name: 'short', scopes: ['profile:read'], expiresAt: soon });
    expect((await withKey(res.body.secret)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1700));
    expect((await withKey(res.body.secret)).status).toBe(401);
  });

  it('records last_used_at in batches, not with a write per request', async () => {
    const { key, secret } = await createKey(alice);
    for (let i = 0; i < 3; i++) expect((await withKey(secret)).status).toBe(200);
    const ds = app.get(DataSource);
    const before = await ds.query('SELECT last_used_at FROM api_keys WHERE id = $1', [key.id]);
    expect(before[0].last_used_at).toBeNull();
    await app.get(ApiKeyUsageTracker).flush();
    const after = await ds.query('SELECT last_used_at FROM api_keys WHERE id = $1', [key.id]);
    expect(after[0].last_used_at).toBeInstanceOf(Date);
  });
});
