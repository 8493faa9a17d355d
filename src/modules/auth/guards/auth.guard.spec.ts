import { ExecutionContext, ForbiddenException, HttpException, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { OptionalAuth, Public, RequireScopes, Roles } from '../../../common/auth/auth.decorators';
import type { Principal } from '../../../common/auth/principal';
import type { FailedAuthLimiter } from '../../../common/throttling/failed-auth-limiter';
import type { AuthConfig } from '../../../config/namespaces';
import type { ApiKeysService } from '../api-keys/api-keys.service';
import { AccessTokenService } from '../tokens/access-token.service';
import { JwtStrategy } from '../tokens/jwt.strategy';
import type { UserStatusService } from '../users/user-status.service';
import type { UserStatus } from '../users/users.repository';
import { AuthGuard } from './auth.guard';

class Routes {
  @Public() open() {}
  @OptionalAuth() maybe() {}
  protected() {}
  @Roles('admin') adminOnly() {}
  @RequireScopes('profile:read') scoped() {}
  @RequireScopes('profile:read', 'feedback:write') wide() {}
}

const KEY = 'nxk_test-key';

/** The guard with a real JwtStrategy and fakes for everything that does I/O. */
function setup() {
  const tokens = new AccessTokenService({
    jwtSecret: 's'.repeat(40),
    issuer: 'nexcore',
    audience: 'nexcore-api',
    accessTokenTtlSeconds: 900,
  } as AuthConfig);
  const userId = randomUUID();
  const sessionId = randomUUID();
  const state: { status: UserStatus | null; sessionLive: boolean } = {
    status: { role: 'user', disabled: false },
    sessionLive: true,
  };
  const status = {
    getWithSession: jest.fn(async () => ({ ...state })),
    get: jest.fn(async () => state.status),
  };
  const apiKeys = {
    authenticate: jest.fn(async (raw: string) =>
      raw === KEY ? { id: 'key-1', userId, scopes: ['profile:read'] } : null,
    ),
  };
  const failures = { assertAllowed: jest.fn(), recordFailure: jest.fn(async () => undefined) };
  const guard = new AuthGuard(
    new Reflector(),
    new JwtStrategy(tokens),
    apiKeys as unknown as ApiKeysService,
    status as unknown as UserStatusService,
    failures as unknown as FailedAuthLimiter,
  );

  async function call(route: keyof Routes, headers: Record<string, string> = {}) {
    const req: { headers: Record<string, string>; ip: string; user?: Principal } = { headers, ip: '203.0.113.7' };
    const sent: Record<string, string> = {};
    const reply = { header: (name: string, value: string) => (sent[name.toLowerCase()] = value) };
    const context = {
      getType: () => 'http',
      getHandler: () => Routes.prototype[route],
      getClass: () => Routes,
      switchToHttp: () => ({ getRequest: () => req, getResponse: () => reply }),
    } as unknown as ExecutionContext;
    try {
      return { result: await guard.canActivate(context), req, sent };
    } catch (error) {
      return { error: error as HttpException, req, sent };
    }
  }

  const bearer = (token = tokens.sign(userId, sessionId)) => ({ authorization: `Bearer ${token}` });
  return { call, bearer, state, status, apiKeys, failures, userId, sessionId };
}

describe('AuthGuard', () => {
  it('lets a public route through without credentials, looking nothing up', async () => {
    const { call, status, apiKeys, failures } = setup();
    const { result, req } = await call('open');
    expect(result).toBe(true);
    expect(req.user).toBeUndefined();
    expect(
      [status.getWithSession, status.get, apiKeys.authenticate, failures.assertAllowed].map((f) => f.mock.calls.length),
    ).toEqual([0, 0, 0, 0]);
  });

  it('ignores credentials on a plain public route, but checks them on an @OptionalAuth() one', async () => {
    const { call } = setup();
    expect((await call('open', { authorization: 'Bearer nonsense' })).result).toBe(true);
    expect((await call('maybe')).result).toBe(true);
    expect((await call('maybe', { authorization: 'Bearer nonsense' })).error).toBeInstanceOf(UnauthorizedException);
  });

  it('answers 401 with a Bearer challenge to a protected route without credentials, and counts the failure', async () => {
    const { call, failures } = setup();
    const { error, sent } = await call('protected');
    expect(error).toBeInstanceOf(UnauthorizedException);
    expect(sent['www-authenticate']).toBe('Bearer realm="nexcore"');
    expect(failures.recordFailure).toHaveBeenCalledWith('203.0.113.7', expect.anything());
  });

  it('answers 401 with error="invalid_token" to a token that is not ours', async () => {
    const { call, bearer, failures } = setup();
    const { error, sent } = await call('protected', bearer('e30.e30.e30'));
    expect(error).toBeInstanceOf(UnauthorizedException);
    expect(sent['www-authenticate']).toBe('Bearer realm="nexcore", error="invalid_token"');
    expect(failures.recordFailure).toHaveBeenCalledTimes(1);
  });

  it('refuses an address over its failed-auth budget before looking at the token', async () => {
    const { call, bearer, status, failures } = setup();
    failures.assertAllowed.mockImplementation(() => {
      throw new HttpException('too many', 429);
    });
    expect((await call('protected', bearer())).error?.getStatus()).toBe(429);
    expect(status.getWithSession).not.toHaveBeenCalled();
  });

  it('puts the user principal on the request for a valid token', async () => {
    const { call, bearer, userId, sessionId } = setup();
    const { result, req } = await call('protected', bearer());
    expect(result).toBe(true);
    expect(req.user).toMatchObject({ kind: 'user', userId, sessionId, role: 'user', rateLimitKey: `user:${userId}` });
    expect(req.user?.expiresAt).toBeGreaterThan(Date.now());
  });

  it('answers 403 when the role does not match, without counting a failure', async () => {
    const { call, bearer, failures, state } = setup();
    const { error } = await call('adminOnly', bearer());
    expect(error).toBeInstanceOf(ForbiddenException);
    expect(failures.recordFailure).not.toHaveBeenCalled();
    state.status = { role: 'admin', disabled: false };
    expect((await call('adminOnly', bearer())).result).toBe(true);
  });

  it('answers 403 to an API key on a route that declares no scopes, or scopes the key lacks', async () => {
    const { call } = setup();
    expect((await call('protected', { 'x-api-key': KEY })).error).toBeInstanceOf(ForbiddenException);
    expect((await call('wide', { 'x-api-key': KEY })).error).toBeInstanceOf(ForbiddenException);
    const ok = await call('scoped', { 'x-api-key': KEY });
    expect(ok.result).toBe(true);
    expect(ok.req.user).toMatchObject({ kind: 'api-key', apiKeyId: 'key-1', scopes: ['profile:read'] });
  });

  it('answers 401 with an ApiKey challenge to an unknown key', async () => {
    const { call } = setup();
    const { error, sent } = await call('scoped', { 'x-api-key': 'nxk_other' });
    expect(error).toBeInstanceOf(UnauthorizedException);
    expect(sent['www-authenticate']).toBe('ApiKey realm="nexcore", error="invalid_token"');
  });

  it("answers 401 when the token's session has ended, although the token itself is valid", async () => {
    const { call, bearer, state, failures, status, userId, sessionId } = setup();
    state.sessionLive = false;
    const { error, sent } = await call('protected', bearer());
    expect(error).toBeInstanceOf(UnauthorizedException);
    expect(error?.message).toMatch(/session/);
    expect(sent['www-authenticate']).toBe('Bearer realm="nexcore", error="invalid_token"');
    expect(failures.recordFailure).toHaveBeenCalledTimes(1);
    expect(status.getWithSession).toHaveBeenCalledWith(userId, sessionId);
  });

  it('keeps re-checking a principal after the request: stillValid turns false when the key is revoked, the owner disabled or the session ends', async () => {
    const { call, bearer, state, apiKeys } = setup();
    const key = (await call('scoped', { 'x-api-key': KEY })).req.user!;
    const user = (await call('protected', bearer())).req.user!;
    expect([await key.stillValid!(), await user.stillValid!()]).toEqual([true, true]);
    apiKeys.authenticate.mockImplementationOnce(async () => null);
    expect(await key.stillValid!()).toBe(false);
    expect(await key.stillValid!()).toBe(true);
    state.status = { role: 'user', disabled: true };
    expect([await key.stillValid!(), await user.stillValid!()]).toEqual([false, false]);
    state.status = { role: 'user', disabled: false };
    state.sessionLive = false;
    expect(await user.stillValid!()).toBe(false);
  });

  it('answers 401 when the account is disabled or gone', async () => {
    const { call, bearer, state } = setup();
    state.status = { role: 'user', disabled: true };
    expect((await call('protected', bearer())).error).toBeInstanceOf(UnauthorizedException);
    state.status = null;
    expect((await call('scoped', { 'x-api-key': KEY })).error).toBeInstanceOf(UnauthorizedException);
  });
});
