import { Global, Module } from '@nestjs/common';
import { ThrottlerModule, ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import { getToken } from '@willsoto/nestjs-prometheus';
import { Counter } from 'prom-client';
import { rateLimitConfig, RateLimitConfig, redisConfig, RedisConfig } from '../../config/namespaces';
import { REDIS_DEGRADED_TOTAL } from '../../modules/metrics/metric-names';
import { FailOpenThrottlerStorage } from './fail-open-storage';

/** The counters' storage: Redis (shared by every instance) or, without REDIS_URL, process memory. */
export const RATE_LIMIT_STORAGE = Symbol('RATE_LIMIT_STORAGE');

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
  ],
  exports: [RATE_LIMIT_STORAGE],
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
