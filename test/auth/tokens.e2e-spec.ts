import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHmac } from 'node:crypto';
import { DataSource } from 'typeorm';
import { bearer, bootAuthApp, createUser, http, login, TestUser } from '../support/auth';

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

function hs256(payload: object, secret: string, header: object = { alg: 'HS256', typ: 'JWT' }): string {
  const body = `${b64(header)}.${b64(payload)}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

describe('access and refresh tokens', () => {
  let app: NestFastifyApplication;
  let user: TestUser;
  let secret: string;
  beforeAll(async () => {
    secret = process.env.JWT_SECRET!;
    app = await bootAuthApp();
    user = await createUser(app);
  });
  afterAll(() => app.close());

  const me = (token: string) => http(app).get('/api/v1/auth/me').set(bearer(token));
  const claims = () => {
    const now = Math.floor(Date.now() / 1000);
    const sid = JSON.parse(Buffer.from(user.accessToken.split('.')[1], 'base64url').toString()).sid;
    return { sub: user.id, sid, jti: 'j1', iss: 'nexcore', aud: 'nexcore-api', iat: now, exp: now + 600 };
  };

  it('accepts a well-formed token signed with the secret (control for the cases below)', async () => {
    expect((await me(hs256(claims(), secret))).status).toBe(200);
  });

  it.each([
    ['alg none', () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`],
    [
      'HS512 instead of HS256',
      () => {
        const body = `${b64({ alg: 'HS512', typ: 'JWT' })}.${b64(claims())}`;
        return `${body}.${createHmac('sha512', secret).update(body).digest('base64url')}`;
      },
    ],
    ['a wrong signature', () => hs256(claims(), 'another-secret-another-secret-another')],
    [
      'a tampered payload',
      () => {
        const [h, , s] = hs256(claims(), secret).split('.');
        return `${h}.${b64({ ...claims(), sub: '00000000-0000-4000-8000-000000000000' })}.${s}`;
      },
    ],
    ['an expired exp', () => hs256({ ...claims(), iat: 1000, exp: 2000 }, secret)],
    ['a wrong audience', () => hs256({ ...claims(), aud: 'someone-else' }, secret)],
    ['a wrong issuer', () => hs256({ ...claims(), iss: 'evil' }, secret)],
    [
      'no exp',
      () => {
        const { exp: _e, ...c } = claims();
        return hs256(c, secret);
      },
    ],
    [
      'no jti',
      () => {
        const { jti: _j, ...c } = claims();
        return hs256(c, secret);
      },
    ],
    ['garbage', () => 'not.a.jwt'],
  ])('answers 401 to a token with %s', async (_label, make) => {
    const res = await me(make());
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('unauthorized');
  });

  it('expires access tokens after ACCESS_TOKEN_TTL_SECONDS', async () => {
    const shortApp = await bootAuthApp({ ACCESS_TOKEN_TTL_SECONDS: '1' });
    try {
      const t = await login(shortApp, user.email);
      expect((await http(shortApp).get('/api/v1/auth/me').set(bearer(t.accessToken))).status).toBe(200);
      await new Promise((r) => setTimeout(r, 2100));
      expect((await http(shortApp).get('/api/v1/auth/me').set(bearer(t.accessToken))).status).toBe(401);
    } finally {
      await shortApp.close();
    }
  });

  it('rotates the refresh token: the new one works, the old one stops at once', async () => {
    const t = await login(app, user.email);
    const first = await http(app).post('/api/v1/auth/refresh').send({ refreshToken: t.refreshToken });
    expect(first.status).toBe(200);
    expect(first.body.refreshToken).not.toBe(t.refreshToken);
    expect((await me(first.body.accessToken)).status).toBe(200);
    const second = await http(app).post('/api/v1/auth/refresh').send({ refreshToken: first.body.refreshToken });
    expect(second.status).toBe(200);
  });

  it('treats reuse of a rotated refresh token as theft: the whole session is revoked and audited', async () => {
    const t = await login(app, user.email);
    const rotated = await http(app).post('/api/v1/auth/refresh').send({ refreshToken: t.refreshToken });
    const reuse = await http(app).post('/api/v1/auth/refresh').send({ refreshToken: t.refreshToken });
    expect(reuse.status).toBe(401);
    // The legitimate holder's newest token is dead too: the session is gone.
    expect(
      (await http(app).post('/api/v1/auth/refresh').send({ refreshToken: rotated.body.refreshToken })).status,
    ).toBe(401);
    const sid = JSON.parse(Buffer.from(rotated.body.accessToken.split('.')[1], 'base64url').toString()).sid;
    const ds = app.get(DataSource);
    const [session] = await ds.query('SELECT revoked_reason FROM sessions WHERE id = $1', [sid]);
    expect(session.revoked_reason).toBe('refresh-reuse');
    const audit = await ds.query(`SELECT 1 FROM audit_log WHERE action = 'auth.refresh-reuse' AND entity_id = $1`, [
      sid,
    ]);
    expect(audit).toHaveLength(1);
  });

  it('only one of two concurrent refreshes with the same token succeeds', async () => {
    const t = await login(app, user.email);
    const results = await Promise.all(
      [1, 2].map(() => http(app).post('/api/v1/auth/refresh').send({ refreshToken: t.refreshToken })),
    );
    expect(results.map((r) => r.status).filter((s) => s === 200).length).toBeLessThanOrEqual(1);
  });

  it('answers 401 to an unknown refresh token', async () => {
    expect(
      (
        await http(app)
          .post('/api/v1/auth/refresh')
          .send({ refreshToken: 'x'.repeat(43) })
      ).status,
    ).toBe(401);
  });

  it('stops refreshing after the refresh lifetime', async () => {
    const t = await login(app, user.email);
    await app
      .get(DataSource)
      .query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [user.id]);
    expect((await http(app).post('/api/v1/auth/refresh').send({ refreshToken: t.refreshToken })).status).toBe(401);
  });
});
