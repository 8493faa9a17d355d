import { Global, Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { getToken } from '@willsoto/nestjs-prometheus';
import { Counter } from 'prom-client';
import { rateLimitConfig, RateLimitConfig, redisConfig, RedisConfig } from '../../config/namespaces';
import { REDIS_DEGRADED_TOTAL } from '../../modules/metrics/metric-names';
import { FailOpenThrottlerStorage } from './fail-open-storage';

/** A provider (not a bare object) so Nest closes its Redis connection at shutdown. */
@Global()
@Module({
  providers: [
    {
      provide: FailOpenThrottlerStorage,
      inject: [redisConfig.KEY, getToken(REDIS_DEGRADED_TOTAL)],
      useFactory: (redis: RedisConfig, degraded: Counter<string>) => new FailOpenThrottlerStorage(redis, degraded),
    },
  ],
  exports: [FailOpenThrottlerStorage],
})
class RateLimitStorageModule {}

@Module({
  imports: [
    RateLimitStorageModule,
    ThrottlerModule.forRootAsync({
      inject: [rateLimitConfig.KEY, FailOpenThrottlerStorage],
      useFactory: (limits: RateLimitConfig, storage: FailOpenThrottlerStorage) => ({
        throttlers: [{ name: 'default', limit: limits.threshold, ttl: limits.windowSeconds * 1000 }],
        storage,
      }),
    }),
  ],
})
export class RateLimitModule {}
