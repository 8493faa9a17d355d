import { Inject, Injectable } from '@nestjs/common';
import { AppCache } from '../../../common/cache/app-cache.service';
import { authConfig, AuthConfig } from '../../../config/namespaces';
import { SessionsRepository } from '../sessions/sessions.repository';
import { UsersRepository, UserStatus } from './users.repository';

/** What the guard caches per session: only whether it is still live (its owner is checked on load). */
interface CachedSession {
  live: boolean;
}

/**
 * Role + disabled flag per user, and whether an access token's session is still live, read on
 * every authenticated request. Both are cached in Redis for USER_STATUS_CACHE_SECONDS and read
 * with one MGET (one round trip per request), and evicted on every change (status change,
 * session revocation), so a disabled user's or a revoked session's tokens stop working at once
 * on every instance. If an eviction is lost (Redis down at that moment) or races a concurrent
 * read that re-caches the old value, the TTL bounds the delay.
 */
@Injectable()
export class UserStatusService {
  constructor(
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly cache: AppCache,
    @Inject(authConfig.KEY) private readonly cfg: AuthConfig,
  ) {}

  get(userId: string): Promise<UserStatus | null> {
    return this.cache.wrap(this.key(userId), () => this.users.status(userId), this.cfg.statusCacheSeconds);
  }

  /** The user's status and whether `sessionId` (one of theirs) is still live, in one cache read. */
  async getWithSession(
    userId: string,
    sessionId: string,
  ): Promise<{ status: UserStatus | null; sessionLive: boolean }> {
    const [cachedStatus, cachedSession] = (await this.cache.getMany([
      this.key(userId),
      this.sessionKey(sessionId),
    ])) as [UserStatus | undefined, CachedSession | undefined];
    const status = cachedStatus ?? (await this.loadStatus(userId));
    let session = cachedSession;
    if (!session) {
      session = { live: await this.sessions.isLive(sessionId, userId) };
      await this.cache.set(this.sessionKey(sessionId), session, this.cfg.statusCacheSeconds);
    }
    return { status, sessionLive: session.live };
  }

  private async loadStatus(userId: string): Promise<UserStatus | null> {
    const status = await this.users.status(userId);
    if (status) await this.cache.set(this.key(userId), status, this.cfg.statusCacheSeconds);
    return status;
  }

  async evict(userId: string): Promise<void> {
    await this.cache.del(this.key(userId));
  }

  /** After revoking sessions: their access tokens fail on the next request. */
  async evictSessions(sessionIds: string[]): Promise<void> {
    await this.cache.del(...sessionIds.map((id) => this.sessionKey(id)));
  }

  private key(userId: string): string {
    return `auth:user-status:${userId}`;
  }

  private sessionKey(sessionId: string): string {
    return `auth:session:${sessionId}`;
  }
}
