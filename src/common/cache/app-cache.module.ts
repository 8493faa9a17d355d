import { CacheModule } from '@nestjs/cache-manager';
import { Global, Module } from '@nestjs/common';
import Keyv from 'keyv';
import { cacheConfig, CacheConfig } from '../../config/namespaces';
import { AppCache } from './app-cache.service';
import { CACHE_STORE } from './cache-store.token';

/** The store (Redis or memory) comes from RedisModule. */
@Global()
@Module({
  imports: [
    CacheModule.registerAsync({
      inject: [CACHE_STORE, cacheConfig.KEY],
      useFactory: (store: Keyv, cache: CacheConfig) => ({ stores: [store], ttl: cache.ttlSeconds * 1000 }),
    }),
  ],
  providers: [AppCache],
  exports: [AppCache],
})
export class AppCacheModule {}
