import { Global, Module } from '@nestjs/common';
import { ThrottlerModule, ThrottlerStorage } from '@nestjs/throttler';
import { rateLimitConfig, RateLimitConfig } from '../../config/namespaces';
import { FailedAuthLimiter } from './failed-auth-limiter';
import { RATE_LIMIT_STORAGE } from './rate-limit-storage.token';

/** The counters' storage (Redis or memory) comes from RedisModule. */
@Global()
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [rateLimitConfig.KEY, RATE_LIMIT_STORAGE],
      useFactory: (limits: RateLimitConfig, storage: ThrottlerStorage) => ({
        throttlers: [{ name: 'default', limit: limits.threshold, ttl: limits.windowSeconds * 1000 }],
        storage,
      }),
    }),
  ],
  providers: [FailedAuthLimiter],
  exports: [FailedAuthLimiter],
})
export class RateLimitModule {}
