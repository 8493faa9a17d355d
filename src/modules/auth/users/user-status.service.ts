import { Inject, Injectable } from '@nestjs/common';
import { AppCache } from '../../../common/cache/app-cache.service';
import { authConfig, AuthConfig } from '../../../config/namespaces';
import { UsersRepository, UserStatus } from './users.repository';

/**
 * Role + disabled flag per user, read on every authenticated request. Cached in Redis for
 * USER_STATUS_CACHE_SECONDS and evicted on every change, so a disabled user's tokens stop
 * working at once on every instance (and within the TTL at worst, e.g. if the eviction missed
 * because Redis was down).
 */
@Injectable()
export class UserStatusService {
  constructor(
    private readonly users: UsersRepository,
    private readonly cache: AppCache,
    @Inject(authConfig.KEY) private readonly cfg: AuthConfig,
  ) {}

  get(userId: string): Promise<UserStatus | null> {
    return this.cache.wrap(this.key(userId), () => this.users.status(userId), this.cfg.statusCacheSeconds);
  }

  async evict(userId: string): Promise<void> {
    await this.cache.del(this.key(userId));
  }

  private key(userId: string): string {
    return `auth:user-status:${userId}`;
  }
}
