import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHmac, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { bearer, bootAuthApp, createUser, login, PASSWORD, TestUser } from '../support/auth';
import { recordReliability } from '../support/reliability-report';
import { inject, ResponseAuditor } from './audit';

/**
 * Forged and stale credentials (test/auth/tokens.e2e-spec.ts has the basic cases: alg none,
 * HS512, wrong signature, tampered payload, expired, wrong aud/iss, missing exp/jti): algorithm
 * confusion, header tricks, nbf, missing or odd subjects, refresh-family revocation, and tokens
 * of users who were disabled or erased. Each must answer a 401 problem, never 400 or 500.
 */
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const sign = (body: string, secret: string, alg = 'sha256') => createHmac(alg, secret).update(body).digest('base64url');
function jwt(
  payload: unknown,
  secret: string,
  header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' },
  alg = 'sha256',
): string {
  const body = `${b64(header)}.${b64(payload)}`;
  return `${body}.${sign(body, secret, alg)}`;
}

describe('token attacks', () => {
  let app: NestFastifyApplication;
  let user: TestUser;
  let admin: TestUser;
  const secret = process.env.JWT_SECRET!;
  const auditor = new ResponseAuditor();
  let cases = 0;

  beforeAll(async () => {
    app = await bootAuthApp();
    user = await createUser(app);
    admin = await createUser(app, { admin: true });
  });
  afterAll(() => app?.close());

  async function me(headers: Record<string, string>) {
    const req = { method: 'GET', url: '/api/v1/auth/me', headers };
    const res = await inject(app, req);
    auditor.check(req, res, { label: 'GET /api/v1/auth/me' });
    return res;
  }
  async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
    const req = {
      method: 'POST',
      url,
      headers: { ...headers, 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    };
    const res = await inject(app, req);
    auditor.check(req, res, { label: `POST ${url}` });
    return { status: res.statusCode, body: JSON.parse(res.body || '{}') };
  }
  const claims = (over: Record<string, unknown> = {}) => {
    const now = Math.floor(Date.now() / 1000);
    const sid = JSON.parse(Buffer.from(user.accessToken.split('.')[1], 'base64url').toString()).sid;
    return {
      sub: user.id,
      sid,
      jti: randomUUID(),
      iss: 'nexcore',
      aud: 'nexcore-api',
      iat: now,
      exp: now + 600,
      ...over,
    };
  };
  const without = (key: string) => {
    const c: Record<string, unknown> = claims();
    delete c[key];
    return c;
  };
  const now = () => Math.floor(Date.now() / 1000);

  it('accepts a correctly signed token, also with extra header fields and an audience list (controls)', async () => {
    expect((await me(bearer(jwt(claims(), secret)))).statusCode).toBe(200);
    expect(
      (await me(bearer(jwt(claims(), secret, { alg: 'HS256', typ: 'JWT', kid: '../../etc/passwd' })))).statusCode,
    ).toBe(200);
    expect((await me(bearer(jwt(claims({ aud: ['other', 'nexcore-api'] }), secret)))).statusCode).toBe(200);
  });

  const forged: [string, () => string][] = [
    ['alg "None" (case variant)', () => `${b64({ alg: 'None', typ: 'JWT' })}.${b64(claims())}.`],
    [
      'alg "NONE" with a valid HS256 signature kept',
      () => {
        const [, p, s] = jwt(claims(), secret).split('.');
        return `${b64({ alg: 'NONE', typ: 'JWT' })}.${p}.${s}`;
      },
    ],
    ['alg none and an empty signature part', () => `${b64({ alg: 'none' })}.${b64(claims())}`],
    [
      'RS256 header, HMAC-signed with the secret (algorithm confusion)',
      () => jwt(claims(), secret, { alg: 'RS256', typ: 'JWT' }),
    ],
    ['ES256 header, HMAC-signed with the secret', () => jwt(claims(), secret, { alg: 'ES256', typ: 'JWT' })],
    ['HS384 header and signature', () => jwt(claims(), secret, { alg: 'HS384', typ: 'JWT' }, 'sha384')],
    ['HS256 header but an HS512 signature', () => jwt(claims(), secret, { alg: 'HS256', typ: 'JWT' }, 'sha512')],
    ['a crit header', () => jwt(claims(), secret, { alg: 'HS256', typ: 'JWT', crit: ['exp'] })],
    [
      'a jwk header carrying its own key',
      () =>
        jwt(claims(), 'attacker-key-attacker-key-attacker', {
          alg: 'HS256',
          jwk: { kty: 'oct', k: b64('attacker-key-attacker-key-attacker') },
        }),
    ],
    ['a signature by another secret', () => jwt(claims(), `${secret}x`)],
    ['an empty secret', () => jwt(claims(), '')],
    ['a truncated signature', () => jwt(claims(), secret).slice(0, -4)],
    ['four parts', () => `${jwt(claims(), secret)}.x`],
    ['a JSON array payload', () => jwt([claims()], secret)],
    ['nbf in the future', () => jwt(claims({ nbf: now() + 3600 }), secret)],
    ['a non-numeric nbf', () => jwt(claims({ nbf: 'now' }), secret)],
    ['exp as a string', () => jwt(claims({ exp: String(now() + 600) }), secret)],
    ['exp just passed', () => jwt(claims({ exp: now() - 1 }), secret)],
    ['an audience list without ours', () => jwt(claims({ aud: ['a', 'b'] }), secret)],
    ['no aud', () => jwt(without('aud'), secret)],
    ['no iss', () => jwt(without('iss'), secret)],
    ['no sub', () => jwt(without('sub'), secret)],
    ['no sid', () => jwt(without('sid'), secret)],
    ['a numeric sub', () => jwt(claims({ sub: 42 }), secret)],
    ['a sub that is not a uuid', () => jwt(claims({ sub: "' OR 1=1 --" }), secret)],
    ['a sub of nobody', () => jwt(claims({ sub: randomUUID() }), secret)],
    ['a sub with a NUL byte', () => jwt(claims({ sub: `${user.id}\u0000` }), secret)],
    ['a huge token', () => jwt(claims({ pad: 'x'.repeat(10_000) }), secret)],
  ];

  it.each(forged)('answers 401 problem to a token with %s', async (_label, make) => {
    const res = await me(bearer(make()));
    cases++;
    expect(res.statusCode).toBe(401);
    expect(JSON.parse(res.body).code).toBe('unauthorized');
  });

  it.each([
    ['lower-case scheme', (t: string) => ({ authorization: `bearer ${t}` })],
    ['Basic scheme', () => ({ authorization: `Basic ${Buffer.from(`${user.email}:${PASSWORD}`).toString('base64')}` })],
    ['a token in X-API-Key', (t: string) => ({ 'x-api-key': t })],
    ['two tokens', (t: string) => ({ authorization: `Bearer ${t} ${t}` })],
  ])('answers 401 to %s', async (_label, headers) => {
    cases++;
    expect((await me(headers(user.accessToken))).statusCode).toBe(401);
  });

  it('a reused rotated refresh token revokes the whole family: the newest descendant dies too', async () => {
    const u = await createUser(app);
    const r1 = u.refreshToken;
    const r2 = (await post('/api/v1/auth/refresh', { refreshToken: r1 })).body.refreshToken;
    const rotated = await post('/api/v1/auth/refresh', { refreshToken: r2 });
    expect(rotated.status).toBe(200);
    const reuse = await post('/api/v1/auth/refresh', { refreshToken: r1 });
    expect(reuse.status).toBe(401);
    expect((await post('/api/v1/auth/refresh', { refreshToken: rotated.body.refreshToken })).status).toBe(401);
    // Another device (another session) of the same user is not punished.
    const other = await login(app, u.email);
    expect((await post('/api/v1/auth/refresh', { refreshToken: other.refreshToken })).status).toBe(200);
    cases += 3;
  });

  it('refresh tokens are refused when malformed, foreign or sent as an access token', async () => {
    for (const refreshToken of ['', 'x', 'a'.repeat(5000), user.accessToken, "' OR '1'='1", 'a\u0000b']) {
      const res = await post('/api/v1/auth/refresh', { refreshToken });
      // 400 when the DTO already refuses the shape (empty, too long), else 401.
      const refused = res.status === 401 || (res.status === 400 && res.body.code === 'validation-failed');
      expect([refreshToken.slice(0, 10), res.status, refused]).toEqual([refreshToken.slice(0, 10), res.status, true]);
      cases++;
    }
    expect((await me(bearer(user.refreshToken))).statusCode).toBe(401);
  });

  it('the access token of a disabled user stops at once; of an erased user too', async () => {
    const victim = await createUser(app);
    expect((await me(bearer(victim.accessToken))).statusCode).toBe(200);
    const req = {
      method: 'PATCH',
      url: `/api/v1/admin/users/${victim.id}`,
      headers: { ...bearer(admin.accessToken), 'content-type': 'application/json' },
      payload: '{"disabled":true}',
    };
    expect((await inject(app, req)).statusCode).toBe(200);
    expect((await me(bearer(victim.accessToken))).statusCode).toBe(401);

    const gone = await createUser(app);
    const erase = {
      method: 'DELETE',
      url: '/api/v1/auth/me',
      headers: { ...bearer(gone.accessToken), 'content-type': 'application/json' },
      payload: JSON.stringify({ password: PASSWORD }),
    };
    expect((await inject(app, erase)).statusCode).toBeLessThan(300);
    expect(await app.get(DataSource).query('SELECT 1 FROM users WHERE id = $1', [gone.id])).toHaveLength(0);
    expect((await me(bearer(gone.accessToken))).statusCode).toBe(401);
    expect((await post('/api/v1/auth/refresh', { refreshToken: gone.refreshToken })).status).toBe(401);
    cases += 4;
  });

  it('saw no leak in any answer', async () => {
    await auditor.scanStoredSecrets(app.get(DataSource));
    expect(auditor.findings.length ? auditor.report() : 'no findings').toBe('no findings');
    recordReliability({
      scenario: 'security/token-attacks',
      checks:
        'forged JWTs (alg none/None, RS256/ES256/HS384 confusion, crit/jwk headers, bad nbf/exp/aud/iss/sub/sid), refresh reuse revoking the family, disabled and erased users',
      figure: `${cases} attack cases, all refused (401 problem+json; 400 where the DTO already rejects the shape); ${auditor.count} responses audited, 0 findings`,
    });
  });
});
