import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { bearer, bootAuthApp, createUser, http, PASSWORD, uniqueEmail } from '../support/auth';

describe('accounts', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await bootAuthApp();
  });
  afterAll(() => app.close());

  it('registers with a normalised email and never returns the hash', async () => {
    const email = uniqueEmail();
    const res = await http(app)
      .post('/api/v1/auth/register')
      .send({ email: `  ${email.toUpperCase()} `, password: PASSWORD, displayName: 'Ada' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ email, displayName: 'Ada', role: 'user', disabled: false });
    expect(JSON.stringify(res.body)).not.toMatch(/argon2|passwordHash/);
    const [row] = await app.get(DataSource).query('SELECT password_hash FROM users WHERE id = $1', [res.body.id]);
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('answers 409 for a duplicate email, whatever its case', async () => {
    const email = uniqueEmail();
    await http(app).post('/api/v1/auth/register').send({ email, password: PASSWORD }).expect(201);
    const res = await http(app).post('/api/v1/auth/register').send({ email: email.toUpperCase(), password: PASSWORD });
    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it.each([
    ['too short', 'short-pw-1'],
    ['too long', 'x'.repeat(129)],
    ['common', 'Password1234'],
  ])('rejects a %s password with a 400 field error', async (_label, password) => {
    const res = await http(app).post('/api/v1/auth/register').send({ email: uniqueEmail(), password });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('password');
  });

  it('rejects an invalid email and unknown fields', async () => {
    expect((await http(app).post('/api/v1/auth/register').send({ email: 'nope', password: PASSWORD })).status).toBe(
      400,
    );
    expect(
      (await http(app).post('/api/v1/auth/register').send({ email: uniqueEmail(), password: PASSWORD, role: 'admin' }))
        .status,
    ).toBe(400);
  });

  it('gives the same 401 body for a wrong password and an unknown email', async () => {
    const user = await createUser(app);
    const wrongPw = await http(app)
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: 'not-the-password-1' });
    const unknown = await http(app)
      .post('/api/v1/auth/login')
      .send({ email: uniqueEmail(), password: 'not-the-password-1' });
    expect(wrongPw.status).toBe(401);
    expect(unknown.status).toBe(401);
    const strip = (b: Record<string, unknown>) => ({ ...b, requestId: undefined, instance: undefined });
    expect(strip(wrongPw.body)).toEqual(strip(unknown.body));
  });

  it('logs in and returns a token pair', async () => {
    const email = uniqueEmail();
    await http(app).post('/api/v1/auth/register').send({ email, password: PASSWORD }).expect(201);
    const res = await http(app)
      .post('/api/v1/auth/login')
      .send({ email: ` ${email.toUpperCase()}`, password: PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      tokenType: 'Bearer',
      expiresIn: 900,
    });
  });

  it('shows and updates the profile', async () => {
    const user = await createUser(app);
    const me = await http(app).get('/api/v1/auth/me').set(bearer(user.accessToken));
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: user.id, email: user.email });
    const patched = await http(app)
      .patch('/api/v1/auth/me')
      .set(bearer(user.accessToken))
      .send({ displayName: 'Grace' });
    expect(patched.status).toBe(200);
    expect(patched.body.displayName).toBe('Grace');
    expect(
      (await http(app).patch('/api/v1/auth/me').set(bearer(user.accessToken)).send({ email: 'x@y.z' })).status,
    ).toBe(400);
  });

  it('changes the password only with the current one and revokes the other sessions', async () => {
    const user = await createUser(app);
    const other = await http(app).post('/api/v1/auth/login').send({ email: user.email, password: PASSWORD });
    const wrong = await http(app)
      .post('/api/v1/auth/me/password')
      .set(bearer(user.accessToken))
      .send({ currentPassword: 'not-the-password-1', newPassword: 'a-brand-new-passphrase' });
    expect(wrong.status).toBe(401);
    const ok = await http(app)
      .post('/api/v1/auth/me/password')
      .set(bearer(user.accessToken))
      .send({ currentPassword: PASSWORD, newPassword: 'a-brand-new-passphrase' });
    expect(ok.status).toBe(204);
    expect((await http(app).post('/api/v1/auth/refresh').send({ refreshToken: other.body.refreshToken })).status).toBe(
      401,
    );
    expect((await http(app).post('/api/v1/auth/refresh').send({ refreshToken: user.refreshToken })).status).toBe(200);
    expect((await http(app).post('/api/v1/auth/login').send({ email: user.email, password: PASSWORD })).status).toBe(
      401,
    );
    expect(
      (await http(app).post('/api/v1/auth/login').send({ email: user.email, password: 'a-brand-new-passphrase' }))
        .status,
    ).toBe(200);
  });

  it('denies by default: protected routes need credentials, public ones do not', async () => {
    expect((await http(app).get('/api/v1/auth/me')).status).toBe(401);
    expect((await http(app).get('/api/v1/auth/sessions')).status).toBe(401);
    expect((await http(app).get('/api/v1/health/live')).status).toBe(200);
    expect((await http(app).get('/api/v1/health/ready')).status).toBe(200);
  });

  it('makes /health/detailed admin-only', async () => {
    const user = await createUser(app);
    const admin = await createUser(app, { admin: true });
    expect((await http(app).get('/api/v1/health/detailed')).status).toBe(401);
    expect((await http(app).get('/api/v1/health/detailed').set(bearer(user.accessToken))).status).toBe(403);
    expect((await http(app).get('/api/v1/health/detailed').set(bearer(admin.accessToken))).status).toBe(200);
  });
});
