import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { AdminBootstrapService } from '../../src/modules/auth/users/admin-bootstrap.service';
import { bearer, bootAuthApp, createUser, http, login, PASSWORD, TestUser, uniqueEmail } from '../support/auth';

describe('admin, roles and disabled users', () => {
  let app: NestFastifyApplication;
  let admin: TestUser;
  const adminEmail = uniqueEmail('boot-admin');
  beforeAll(async () => {
    app = await bootAuthApp({ ADMIN_EMAIL: adminEmail.toUpperCase(), ADMIN_PASSWORD: PASSWORD });
    admin = { id: '', email: adminEmail, ...(await login(app, adminEmail)) };
  });
  afterAll(() => app.close());

  it('creates the first admin from ADMIN_EMAIL/ADMIN_PASSWORD once; a second boot changes nothing', async () => {
    const me = await http(app).get('/api/v1/auth/me').set(bearer(admin.accessToken));
    expect(me.body).toMatchObject({ email: adminEmail, role: 'admin' });
    admin.id = me.body.id;
    const second = await bootAuthApp({ ADMIN_EMAIL: adminEmail, ADMIN_PASSWORD: 'another-password-entirely' });
    await second.close();
    const rows = await app.get(DataSource).query('SELECT id FROM users WHERE email = $1', [adminEmail]);
    expect(rows).toHaveLength(1);
    await login(app, adminEmail, PASSWORD);
  });

  it('the CLI path promotes an existing user and is idempotent', async () => {
    const u = await createUser(app);
    const svc = app.get(AdminBootstrapService);
    expect(await svc.ensureAdmin(u.email, PASSWORD, { promote: true })).toBe('promoted');
    expect(await svc.ensureAdmin(u.email, PASSWORD, { promote: true })).toBe('unchanged');
    const fresh = uniqueEmail('cli');
    expect(await svc.ensureAdmin(fresh, PASSWORD, { promote: true })).toBe('created');
    const t = await login(app, fresh);
    expect((await http(app).get('/api/v1/admin/users').set(bearer(t.accessToken))).status).toBe(200);
  });

  it('keeps admin routes for admins (403 for users)', async () => {
    const user = await createUser(app);
    expect((await http(app).get('/api/v1/admin/users').set(bearer(user.accessToken))).status).toBe(403);
    expect((await http(app).get('/api/v1/admin/audit').set(bearer(user.accessToken))).status).toBe(403);
  });

  it('lists users paginated and filtered by email', async () => {
    const u = await createUser(app, { email: uniqueEmail('findme') });
    const res = await http(app)
      .get('/api/v1/admin/users')
      .query({ email: 'FINDME', limit: '5', page: '1' })
      .set(bearer(admin.accessToken));
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: { id: string }) => i.id)).toContain(u.id);
    expect(res.body.items.every((i: { email: string }) => i.email.includes('findme'))).toBe(true);
    expect(res.body).toMatchObject({ page: 1, limit: 5, total: expect.any(Number) });
    expect(
      (await http(app).get('/api/v1/admin/users').query({ limit: '500' }).set(bearer(admin.accessToken))).status,
    ).toBe(400);
  });

  it('role change takes effect on the next request and is audited', async () => {
    const u = await createUser(app);
    expect((await http(app).get('/api/v1/admin/users').set(bearer(u.accessToken))).status).toBe(403);
    const res = await http(app)
      .patch(`/api/v1/admin/users/${u.id}`)
      .set(bearer(admin.accessToken))
      .send({ role: 'admin' });
    expect(res.status).toBe(200);
    expect((await http(app).get('/api/v1/admin/users').set(bearer(u.accessToken))).status).toBe(200);
    const audit = await http(app)
      .get('/api/v1/admin/audit')
      .query({ action: 'user.role-change', entityId: u.id })
      .set(bearer(admin.accessToken));
    expect(audit.body.items[0]).toMatchObject({
      actorId: admin.id,
      oldValues: { role: 'user' },
      newValues: { role: 'admin' },
    });
  });

  it('a disabled user is cut off: existing access token, refresh, login and API keys all stop', async () => {
    const u = await createUser(app);
    const key = await http(app)
      .post('/api/v1/api-keys')
      .set(bearer(u.accessToken))
      .send({ name: 'k', scopes: ['profile:read'] });
    expect((await http(app).get('/api/v1/auth/me').set(bearer(u.accessToken))).status).toBe(200);
    expect((await http(app).get('/api/v1/auth/me').set('X-API-Key', key.body.secret)).status).toBe(200);
    await http(app)
      .patch(`/api/v1/admin/users/${u.id}`)
      .set(bearer(admin.accessToken))
      .send({ disabled: true })
      .expect(200);
    expect((await http(app).get('/api/v1/auth/me').set(bearer(u.accessToken))).status).toBe(401);
    expect((await http(app).get('/api/v1/auth/me').set('X-API-Key', key.body.secret)).status).toBe(401);
    expect((await http(app).post('/api/v1/auth/refresh').send({ refreshToken: u.refreshToken })).status).toBe(401);
    expect((await http(app).post('/api/v1/auth/login').send({ email: u.email, password: PASSWORD })).status).toBe(401);
    await http(app)
      .patch(`/api/v1/admin/users/${u.id}`)
      .set(bearer(admin.accessToken))
      .send({ disabled: false })
      .expect(200);
    expect((await http(app).post('/api/v1/auth/login').send({ email: u.email, password: PASSWORD })).status).toBe(200);
  });

  it('a disable done on another instance reaches this one (shared status cache eviction)', async () => {
    const u = await createUser(app);
    const other = await bootAuthApp();
    try {
      expect((await http(app).get('/api/v1/auth/me').set(bearer(u.accessToken))).status).toBe(200);
      await http(other)
        .patch(`/api/v1/admin/users/${u.id}`)
        .set(bearer(admin.accessToken))
        .send({ disabled: true })
        .expect(200);
      expect((await http(app).get('/api/v1/auth/me').set(bearer(u.accessToken))).status).toBe(401);
    } finally {
      await other.close();
    }
  });

  it('an admin cannot disable or demote themselves', async () => {
    expect(
      (await http(app).patch(`/api/v1/admin/users/${admin.id}`).set(bearer(admin.accessToken)).send({ disabled: true }))
        .status,
    ).toBe(409);
  });

  it('audits register, login success and failure, key lifecycle; filters and paginates', async () => {
    const u = await createUser(app);
    await http(app).post('/api/v1/auth/login').send({ email: u.email, password: 'wrong-password-123' }).expect(401);
    const key = await http(app)
      .post('/api/v1/api-keys')
      .set(bearer(u.accessToken))
      .send({ name: 'k', scopes: ['profile:read'] });
    await http(app).post(`/api/v1/api-keys/${key.body.key.id}/rotate`).set(bearer(u.accessToken)).expect(200);
    await http(app).delete(`/api/v1/api-keys/${key.body.key.id}`).set(bearer(u.accessToken)).expect(204);
    const res = await http(app)
      .get('/api/v1/admin/audit')
      .query({ actorId: u.id, limit: '50' })
      .set(bearer(admin.accessToken));
    const actions = res.body.items.map((i: { action: string }) => i.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'user.register',
        'auth.login',
        'auth.login-failure',
        'api-key.create',
        'api-key.rotate',
        'api-key.revoke',
      ]),
    );
    expect(res.body.items[0]).toEqual(
      expect.objectContaining({ requestId: expect.any(String), ip: expect.any(String), createdAt: expect.any(String) }),
    );
    const page = await http(app)
      .get('/api/v1/admin/audit')
      .query({ actorId: u.id, limit: '2', page: '2' })
      .set(bearer(admin.accessToken));
    expect(page.body.items).toHaveLength(2);
    expect(page.body.total).toBe(res.body.total);
  });
});
