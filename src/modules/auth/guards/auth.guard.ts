import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IS_PUBLIC_KEY, OPTIONAL_AUTH_KEY, ROLES_KEY, SCOPES_KEY } from '../../../common/auth/auth.decorators';
import type { Principal, Role } from '../../../common/auth/principal';
import { API_KEY_SCOPES, type ApiKeyScope } from '../../../common/auth/scopes';
import { authChallenge } from '../../../common/http/auth-challenge';
import { FailedAuthLimiter } from '../../../common/throttling/failed-auth-limiter';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { JwtStrategy } from '../tokens/jwt.strategy';
import { UserStatusService } from '../users/user-status.service';
import type { UserStatus } from '../users/users.repository';

type AuthedRequest = FastifyRequest & { user?: Principal };

function hasCredentials(req: FastifyRequest): boolean {
  const auth = req.headers.authorization;
  const key = req.headers['x-api-key'];
  return (typeof auth === 'string' && auth.length > 0) || (typeof key === 'string' && key.length > 0);
}

/**
 * The global guard (APP_GUARD, before the rate limiter). Default deny: a route answers only to
 * a valid `Authorization: Bearer <JWT>` (checked by the passport-jwt JwtStrategy) or `X-API-Key`
 * (ApiKeysService), unless it is `@Public()`. Then
 * the roles (403) and, for API keys, the scopes (403) that `@Auth({ roles, scopes })` declares. API keys reach only routes that
 * declare scopes: machine clients get nothing they were not explicitly granted.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtStrategy,
    private readonly apiKeys: ApiKeysService,
    private readonly status: UserStatusService,
    private readonly failures: FailedAuthLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets)) {
      // Plain public routes ignore credentials; @OptionalAuth() ones check them when present.
      if (!this.reflector.getAllAndOverride<boolean>(OPTIONAL_AUTH_KEY, targets) || !hasCredentials(req)) return true;
    }
    const principal = await this.authenticateLimited(req, context.switchToHttp().getResponse<FastifyReply>());
    req.user = principal;

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles?.length && !roles.includes(principal.role)) throw new ForbiddenException('This route needs another role');

    const scopes = this.reflector.getAllAndOverride<ApiKeyScope[] | undefined>(SCOPES_KEY, targets);
    if (principal.kind === 'api-key') {
      if (!scopes) throw new ForbiddenException('API keys cannot call this route; use a user token');
      const missing = scopes.filter((s) => !principal.scopes.includes(s));
      if (missing.length) throw new ForbiddenException(`The API key lacks scope(s): ${missing.join(', ')}`);
    }
    return true;
  }

  /**
   * An address that spent its failed-authentication budget is refused (429) before any key or
   * token is looked at; every 401 counts against it and carries an RFC 6750 challenge.
   */
  private async authenticateLimited(req: AuthedRequest, reply: FastifyReply): Promise<Principal> {
    this.failures.assertAllowed(req.ip, reply);
    try {
      return await this.authenticate(req);
    } catch (err) {
      if (err instanceof UnauthorizedException) {
        reply.header('WWW-Authenticate', authChallenge(req.headers));
        await this.failures.recordFailure(req.ip, reply);
      }
      throw err;
    }
  }

  private async authenticate(req: AuthedRequest): Promise<Principal> {
    const auth = req.headers.authorization;
    if (typeof auth === 'string' && auth.length) {
      // passport-jwt (JwtStrategy): the signature, HS256, iss, aud, exp, and the claims we rely on.
      const claims = await this.jwt.claimsFrom(req);
      if (!claims) throw new UnauthorizedException('Invalid or expired access token');
      // The token dies with its session (logout, logout-all, password change, refresh reuse),
      // not only when it expires. Same cache read as the user's status: one round trip.
      const { status, sessionLive } = await this.status.getWithSession(claims.sub, claims.sid);
      const role = this.activeRole(status);
      if (!sessionLive) throw new UnauthorizedException('The session of this access token has ended; log in again');
      return {
        kind: 'user',
        userId: claims.sub,
        role,
        scopes: [...API_KEY_SCOPES],
        sessionId: claims.sid,
        rateLimitKey: `user:${claims.sub}`,
        expiresAt: claims.exp * 1000,
        stillValid: async () => {
          const again = await this.status.getWithSession(claims.sub, claims.sid);
          return !!again.status && !again.status.disabled && again.sessionLive;
        },
      };
    }
    const rawKey = req.headers['x-api-key'];
    if (typeof rawKey === 'string' && rawKey.length) {
      const key = await this.apiKeys.authenticate(rawKey);
      if (!key) throw new UnauthorizedException('Invalid, expired or revoked API key');
      const role = this.activeRole(await this.status.get(key.userId));
      return {
        kind: 'api-key',
        userId: key.userId,
        role,
        scopes: key.scopes,
        apiKeyId: key.id,
        rateLimitKey: `apikey:${key.id}`,
        stillValid: async () =>
          (await this.apiKeys.authenticate(rawKey))?.id === key.id && (await this.isActive(key.userId)),
      };
    }
    throw new UnauthorizedException('Authentication required: send a Bearer token or an X-API-Key');
  }

  private async isActive(userId: string): Promise<boolean> {
    const s = await this.status.get(userId);
    return !!s && !s.disabled;
  }

  /** Disabled or deleted owners are refused even with a still-valid token or key. */
  private activeRole(s: UserStatus | null): Role {
    if (!s || s.disabled) throw new UnauthorizedException('The account is disabled or no longer exists');
    return s.role;
  }
}
