import { CacheModule } from '@nestjs/cache-manager';
import { Global, Module } from '@nestjs/common';
import { cacheConfig, CacheConfig, redisConfig, RedisConfig } from '../../config/namespaces';
import { AppCache } from './app-cache.service';
import Keyv from 'keyv';
import { createRedisCacheStore } from './redis-cache-store';

@Global()
@Module({
  imports: [
    CacheModule.registerAsync({
      inject: [redisConfig.KEY, cacheConfig.KEY],
      useFactory: (redis: RedisConfig, cache: CacheConfig) => ({
        // Without REDIS_URL, Keyv's own in-memory store (a Map with TTLs): per process only.
        stores: [redis.url ? createRedisCacheStore(redis) : new Keyv({ namespace: `${redis.keyPrefix}cache` })],
        ttl: cache.ttlSeconds * 1000,
      }),
    }),
  ],
  providers: [AppCache],
  exports: [AppCache],
})
export class AppCacheModule {}
