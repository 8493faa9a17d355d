import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { AuditService } from '../../../common/audit/audit.service';
import { RequestMeta } from '../../../common/http/request-meta';
import { authConfig, AuthConfig } from '../../../config/namespaces';
import { PasswordHasher } from '../password/password-hasher';
import { SessionsRepository } from '../sessions/sessions.repository';
import { SessionsService } from '../sessions/sessions.service';
import { AccessTokenService } from '../tokens/access-token.service';
import { hashRefreshToken, newRefreshToken } from '../tokens/refresh-token';
import { normalizeEmail } from '../users/email';
import { UserStatusService } from '../users/user-status.service';
import { UsersRepository } from '../users/users.repository';
import { LoginAttemptsService } from './login-attempts.service';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

const INVALID_CREDENTIALS = 'Invalid email or password';

/** Login, refresh-token rotation with reuse detection, logout. */
@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersRepository,
    private readonly status: UserStatusService,
    private readonly sessions: SessionsRepository,
    private readonly sessionControl: SessionsService,
    private readonly hasher: PasswordHasher,
    private readonly tokens: AccessTokenService,
    private readonly attempts: LoginAttemptsService,
    private readonly audit: AuditService,
    @Inject(authConfig.KEY) private readonly cfg: AuthConfig,
  ) {}

  async login(rawEmail: string, password: string, meta: RequestMeta): Promise<TokenPair> {
    const email = normalizeEmail(rawEmail);
    await this.attempts.reserve(email, meta.ip);
    const user = await this.users.findWithHashByEmail(email);
    // Unknown email: same argon2 work and the same 401 body as a wrong password.
    const ok = user ? await this.hasher.verify(user.passwordHash, password) : await this.hasher.verifyDummy(password);
    if (!user || !ok || user.disabled) {
      await this.audit.record(
        {
          action: 'auth.login-failure',
          actorId: user?.id ?? null,
          entityType: 'user',
          entityId: user?.id ?? null,
          newValues: { reason: !user ? 'unknown-email' : !ok ? 'bad-password' : 'disabled' },
        },
        meta,
      );
      throw new UnauthorizedException(INVALID_CREDENTIALS);
    }
    await this.attempts.release(email, meta.ip);
    if (this.hasher.needsRehash(user.passwordHash)) {
      await this.users.update(user.id, { passwordHash: await this.hasher.hash(password) });
    }
    const refreshToken = newRefreshToken();
    const session = await this.sessions.create(
      { userId: user.id, userAgent: meta.userAgent, ip: meta.ip, expiresAt: this.refreshExpiry() },
      hashRefreshToken(refreshToken),
    );
    await this.audit.record(
      { action: 'auth.login', actorId: user.id, entityType: 'session', entityId: session.id },
      meta,
    );
    return this.pair(user.id, session.id, refreshToken);
  }

  /** The presented token is single-use; presenting it a second time revokes the whole session. */
  async refresh(refreshToken: string, meta: RequestMeta): Promise<TokenPair> {
    const next = newRefreshToken();
    const result = await this.sessions.rotate(
      hashRefreshToken(refreshToken),
      hashRefreshToken(next),
      this.refreshExpiry(),
    );
    if (result.kind === 'reused') {
      const revoked = await this.sessionControl.end(result.sessionId, 'refresh-reuse');
      await this.audit.record(
        {
          action: 'auth.refresh-reuse',
          entityType: 'session',
          entityId: result.sessionId,
          newValues: { revoked: revoked > 0 },
        },
        meta,
      );
      throw new UnauthorizedException('Refresh token already used; the session has been revoked');
    }
    if (result.kind === 'unknown') throw new UnauthorizedException('Invalid or expired refresh token');
    const { session } = result;
    const status = await this.status.get(session.userId);
    if (!status || status.disabled) {
      await this.sessionControl.end(session.id, 'disabled');
      throw new UnauthorizedException('The account is disabled');
    }
    return this.pair(session.userId, session.id, next);
  }

  async logout(userId: string, sessionId: string | undefined, meta: RequestMeta): Promise<void> {
    if (!sessionId) return;
    await this.sessionControl.end(sessionId, 'logout');
    await this.audit.record(
      {
        action: 'session.revoke',
        actorId: userId,
        entityType: 'session',
        entityId: sessionId,
        newValues: { reason: 'logout' },
      },
      meta,
    );
  }

  private pair(userId: string, sessionId: string, refreshToken: string): TokenPair {
    return {
      accessToken: this.tokens.sign(userId, sessionId),
      refreshToken,
      tokenType: 'Bearer',
      expiresIn: this.tokens.lifetimeSeconds,
    };
  }

  private refreshExpiry(): Date {
    return new Date(Date.now() + this.cfg.refreshTokenTtlSeconds * 1000);
  }
}
