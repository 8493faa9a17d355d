import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { PrivacyRegistry } from '../../src/common/privacy/privacy-registry';
import { bearer, bootAuthApp, createUser, http, login, PASSWORD } from '../support/auth';

/** Every row of every table (except the migrations table) whose text mentions the needle. */
async function rowsMentioning(ds: DataSource, needle: string): Promise<string[]> {
  const tables: { table_name: string }[] = await ds.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'typeorm_migrations'`,
  );
  const hits: string[] = [];
  for (const { table_name } of tables) {
    const rows = await ds.query(`SELECT t::text AS row FROM "${table_name}" t WHERE t::text ILIKE $1`, [`%${needle}%`]);
    hits.push(...rows.map((r: { row: string }) => `${table_name}: ${r.row}`));
  }
  return hits;
}

describe('privacy export and erase', () => {
  let app: NestFastifyApplication;
  const extraRows = new Map<string, string[]>();
  beforeAll(async () => {
    app = await bootAuthApp();
    // A stand-in for a later module registering into the extension point.
    app.get(PrivacyRegistry).register({
      name: 'notes',
      export: async (userId) => extraRows.get(userId) ?? [],
      erase: async (userId) => void extraRows.delete(userId),
    });
  });
  afterAll(() => app.close());

  it('exports the account, sessions, API key metadata, audit entries and registered modules', async () => {
    const u = await createUser(app);
    extraRows.set(u.id, ['a note']);
    const key = await http(app)
      .post('/api/v1/api-keys')
      .set(bearer(u.accessToken))
      .send({ name: 'exp', scopes: ['profile:read'] });
    const res = await http(app).get('/api/v1/auth/me/export').set(bearer(u.accessToken));
    expect(res.status).toBe(200);
    expect(res.body.account).toMatchObject({ id: u.id, email: u.email });
    expect(res.body.sessions.length).toBeGreaterThanOrEqual(1);
    expect(res.body.apiKeys[0]).toMatchObject({ id: key.body.key.id, name: 'exp' });
    expect(JSON.stringify(res.body)).not.toContain(key.body.secret.split('_')[2]);
    expect(JSON.stringify(res.body)).not.toMatch(/argon2|secretHash|secret_hash/);
    expect(res.body.auditLog.map((e: { action: string }) => e.action)).toContain('user.register');
    expect(res.body.notes).toEqual(['a note']);
  });

  it('erase needs the password, then leaves no row that mentions the user (audit kept, anonymised)', async () => {
    const u = await createUser(app);
    const other = await createUser(app);
    await login(app, u.email);
    extraRows.set(u.id, ['x']);
    await http(app)
      .post('/api/v1/api-keys')
      .set(bearer(u.accessToken))
      .send({ name: 'del', scopes: ['profile:read'] })
      .expect(201);
    await http(app).post('/api/v1/auth/login').send({ email: u.email, password: 'wrong-password-1' }).expect(401);
    const ds = app.get(DataSource);
    expect((await rowsMentioning(ds, u.id)).length).toBeGreaterThan(3);
    const auditBefore = Number((await ds.query('SELECT count(*) FROM audit_log'))[0].count);

    expect(
      (await http(app).delete('/api/v1/auth/me').set(bearer(u.accessToken)).send({ password: 'wrong-password-1' }))
        .status,
    ).toBe(401);
    expect(
      (await http(app).delete('/api/v1/auth/me').set(bearer(u.accessToken)).send({ password: PASSWORD })).status,
    ).toBe(204);

    expect(await rowsMentioning(ds, u.id)).toEqual([]);
    expect(await rowsMentioning(ds, u.email)).toEqual([]);
    expect(extraRows.has(u.id)).toBe(false);
    expect(Number((await ds.query('SELECT count(*) FROM audit_log'))[0].count)).toBeGreaterThan(auditBefore);
    expect((await http(app).get('/api/v1/auth/me').set(bearer(u.accessToken))).status).toBe(401);
    expect((await http(app).post('/api/v1/auth/login').send({ email: u.email, password: PASSWORD })).status).toBe(401);
    expect((await http(app).get('/api/v1/auth/me').set(bearer(other.accessToken))).status).toBe(200);
  });

  it('rolls back the whole erasure when one contributor fails', async () => {
    const u = await createUser(app);
    const failing = { name: 'fails', export: async () => null, erase: async () => Promise.reject(new Error('boom')) };
    const registry = app.get(PrivacyRegistry);
    registry.register(failing);
    try {
      expect(
        (await http(app).delete('/api/v1/auth/me').set(bearer(u.accessToken)).send({ password: PASSWORD })).status,
      ).toBe(500);
      expect((await http(app).get('/api/v1/auth/me').set(bearer(u.accessToken))).status).toBe(200);
    } finally {
      (registry as unknown as { contributors: Map<string, unknown> }).contributors.delete('fails');
    }
  });
});
