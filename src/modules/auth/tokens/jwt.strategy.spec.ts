import fc from 'fast-check';
import { createHmac, randomUUID } from 'node:crypto';
import passport from 'passport';
import type { AuthConfig } from '../../../config/namespaces';
import { AccessTokenService } from './access-token.service';
import { JwtStrategy } from './jwt.strategy';

const SECRET = 'k'.repeat(40);
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const hmac = (body: string, secret = SECRET, alg = 'sha256') =>
  createHmac(alg, secret).update(body).digest('base64url');
/** A JWT built by hand with the secret as a string (as the e2e tests and the former HS256 code do). */
function jwt(
  payload: unknown,
  header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' },
  secret = SECRET,
  alg = 'sha256',
): string {
  const body = `${b64(header)}.${b64(payload)}`;
  return `${body}.${hmac(body, secret, alg)}`;
}

function setup(over: Partial<AuthConfig> = {}) {
  const cfg = {
    jwtSecret: SECRET,
    issuer: 'nexcore',
    audience: 'nexcore-api',
    accessTokenTtlSeconds: 900,
    ...over,
  } as AuthConfig;
  const tokens = new AccessTokenService(cfg);
  return { tokens, strategy: new JwtStrategy(tokens) };
}

describe('JwtStrategy (passport-jwt with a KeyObject secret)', () => {
  const { tokens, strategy } = setup();
  const verify = (token: string) => strategy.claimsFrom({ headers: { authorization: `Bearer ${token}` } });
  const claims = (over: Record<string, unknown> = {}) => {
    const now = Math.floor(Date.now() / 1000);
    return {
      sub: randomUUID(),
      sid: randomUUID(),
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

  it('verifies what AccessTokenService signs', async () => {
    const sub = randomUUID();
    const sid = randomUUID();
    expect(await verify(tokens.sign(sub, sid))).toMatchObject({ sub, sid, iss: 'nexcore', aud: 'nexcore-api' });
  });

  it('signs the same format as before: {"alg":"HS256","typ":"JWT"}, claims in order, HMAC-SHA256 over the secret string', () => {
    const [h, p, s] = tokens.sign(randomUUID(), randomUUID()).split('.');
    expect(Buffer.from(h, 'base64url').toString()).toBe('{"alg":"HS256","typ":"JWT"}');
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
    expect(Object.keys(payload)).toEqual(['sub', 'sid', 'jti', 'iss', 'aud', 'iat', 'exp']);
    expect(payload.exp - payload.iat).toBe(900);
    expect(s).toBe(hmac(`${h}.${p}`));
  });

  it('accepts a plain HMAC-SHA256 JWT signed with the secret string, an audience list and extra header fields', async () => {
    const c = claims();
    expect(await verify(jwt(c))).toMatchObject({ sub: c.sub });
    expect(await verify(jwt(c, { typ: 'JWT', alg: 'HS256', kid: 'x' }))).toMatchObject({ sub: c.sub });
    expect(await verify(jwt(c, { alg: 'HS256' }))).toMatchObject({ sub: c.sub });
    expect(await verify(jwt(claims({ aud: ['other', 'nexcore-api'] })))).not.toBeNull();
  });

  const refused: [string, () => string][] = [
    ['alg none, no signature', () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`],
    ['alg none with a signature', () => jwt(claims(), { alg: 'none', typ: 'JWT' })],
    [
      'alg NONE keeping a valid HS256 signature',
      () => {
        const [, p, s] = jwt(claims()).split('.');
        return `${b64({ alg: 'NONE', typ: 'JWT' })}.${p}.${s}`;
      },
    ],
    ['HS512', () => jwt(claims(), { alg: 'HS512', typ: 'JWT' }, SECRET, 'sha512')],
    [
      'RS256 header HMAC-signed with the secret (algorithm confusion)',
      () => jwt(claims(), { alg: 'RS256', typ: 'JWT' }),
    ],
    ['a crit header', () => jwt(claims(), { alg: 'HS256', typ: 'JWT', crit: ['exp'] })],
    ['a typ other than JWT', () => jwt(claims(), { alg: 'HS256', typ: 'at+jwt+other' })],
    ['another secret', () => jwt(claims(), undefined, `${SECRET}x`)],
    ['a wrong issuer', () => jwt(claims({ iss: 'evil' }))],
    ['a wrong audience', () => jwt(claims({ aud: 'someone-else' }))],
    ['exp passed', () => jwt(claims({ exp: Math.floor(Date.now() / 1000) - 1 }))],
    ['exp as a string', () => jwt(claims({ exp: String(Math.floor(Date.now() / 1000) + 600) }))],
    ['nbf in the future', () => jwt(claims({ nbf: Math.floor(Date.now() / 1000) + 3600 }))],
    ['a non-numeric nbf', () => jwt(claims({ nbf: 'now' }))],
    ['no exp', () => jwt(without('exp'))],
    ['no jti', () => jwt(without('jti'))],
    ['no sub', () => jwt(without('sub'))],
    ['no sid', () => jwt(without('sid'))],
    ['a sub that is not a uuid', () => jwt(claims({ sub: "' OR 1=1 --" }))],
    ['a sid that is not a uuid', () => jwt(claims({ sid: 42 }))],
    ['a JSON array payload', () => jwt([claims()])],
    ['a token over 4 KiB', () => jwt(claims({ pad: 'x'.repeat(4096) }))],
    ['four parts', () => `${jwt(claims())}.x`],
    ['garbage', () => 'not.a.jwt'],
  ];
  it.each(refused)('refuses %s', async (_label, make) => {
    expect(await verify(make())).toBeNull();
  });

  it('refuses any changed character', async () => {
    const token = tokens.sign(randomUUID(), randomUUID());
    await fc.assert(
      fc.asyncProperty(fc.nat(token.length - 1), fc.constantFrom('A', 'b', '_', '-', '.', '0'), async (pos, ch) => {
        const mutated = token.slice(0, pos) + ch + token.slice(pos + 1);
        if (mutated !== token) expect(await verify(mutated)).toBeNull();
      }),
      { numRuns: 200 },
    );
  });

  it.each([
    ['no Authorization header', {}],
    ['a lower-case scheme', { authorization: `bearer ${jwt(claims())}` }],
    ['two tokens', { authorization: `Bearer ${jwt(claims())} ${jwt(claims())}` }],
    ['Basic', { authorization: 'Basic dXNlcjpwYXNz' }],
  ])('finds no token with %s', async (_label, headers) => {
    expect(await strategy.claimsFrom({ headers })).toBeNull();
  });

  it('keeps concurrent verifications apart (each request runs its own strategy object)', async () => {
    const good = Array.from({ length: 20 }, () => claims());
    const results = await Promise.all(good.flatMap((c) => [verify(jwt(c)), verify(jwt(c, undefined, 'other-secret'))]));
    expect(results.map((r) => r?.sub ?? null)).toEqual(good.flatMap((c) => [c.sub, null]));
  });

  it('stays out of passport’s global registry: two apps in one process keep their own secret and audience', async () => {
    const other = setup({ jwtSecret: 'z'.repeat(40), audience: 'elsewhere' });
    const mine = tokens.sign(randomUUID(), randomUUID());
    const theirs = other.tokens.sign(randomUUID(), randomUUID());
    const asOther = (t: string) => other.strategy.claimsFrom({ headers: { authorization: `Bearer ${t}` } });
    expect([await verify(mine), await verify(theirs)].map(Boolean)).toEqual([true, false]);
    expect([await asOther(mine), await asOther(theirs)].map(Boolean)).toEqual([false, true]);
    expect((passport as unknown as { _strategy(name: string): unknown })._strategy('jwt')).toBeUndefined();
  });
});
