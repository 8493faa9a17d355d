import { Global, Module } from '@nestjs/common';
import { ThrottlerModule, ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import { getToken } from '@willsoto/nestjs-prometheus';
import { Counter } from 'prom-client';
import { rateLimitConfig, RateLimitConfig, redisConfig, RedisConfig } from '../../config/namespaces';
import { REDIS_DEGRADED_TOTAL } from '../../modules/metrics/metric-names';
import { FailOpenThrottlerStorage } from './fail-open-storage';
import { FailedAuthLimiter } from './failed-auth-limiter';
import { RATE_LIMIT_STORAGE } from './rate-limit-storage.token';

export { RATE_LIMIT_STORAGE };

/** A provider (not a bare object) so Nest closes its Redis connection (or timers) at shutdown. */
@Global()
@Module({
  providers: [
    {
      provide: RATE_LIMIT_STORAGE,
      inject: [redisConfig.KEY, getToken(REDIS_DEGRADED_TOTAL)],
      useFactory: (redis: RedisConfig, degraded: Counter<string>): ThrottlerStorage =>
        redis.url ? new FailOpenThrottlerStorage(redis, degraded) : new ThrottlerStorageService(),
    },
    FailedAuthLimiter,
  ],
  exports: [RATE_LIMIT_STORAGE, FailedAuthLimiter],
})
class RateLimitStorageModule {}

@Module({
  imports: [
    RateLimitStorageModule,
    ThrottlerModule.forRootAsync({
      inject: [rateLimitConfig.KEY, RATE_LIMIT_STORAGE],
      useFactory: (limits: RateLimitConfig, storage: ThrottlerStorage) => ({
        throttlers: [{ name: 'default', limit: limits.threshold, ttl: limits.windowSeconds * 1000 }],
        storage,
      }),
    }),
  ],
})
export class RateLimitModule {}
