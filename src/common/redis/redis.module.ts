import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { redisConfig, RedisConfig } from '../../config/namespaces';
import { MemoryRedis } from './memory-redis';

export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

/**
 * Options for every ioredis client nexcore opens. No offline queue: while Redis is away a
 * command fails at once instead of piling up, so callers can degrade (cache miss, fail-open
 * limiter) rather than hang a request.
 */
export function redisClientOptions(cfg: RedisConfig) {
  return {
    keyPrefix: cfg.keyPrefix,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: cfg.commandTimeoutMs,
    connectTimeout: 2000,
    retryStrategy: (attempt: number) => Math.min(attempt * 200, 2000),
  };
}

@Injectable()
export class RedisLifecycle implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis) {}
  async onApplicationShutdown(): Promise<void> {
    if (this.redis.status === 'end') return;
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

@Global()
@Module({
  providers: [
    {
      provide: REDIS_CLIENT,
      inject: [redisConfig.KEY],
      useFactory: (cfg: RedisConfig) => {
        // Embedded mode: the few commands nexcore uses, answered from process memory.
        if (!cfg.url) return new MemoryRedis() as unknown as Redis;
        const logger = new Logger('Redis');
        const client = new Redis(cfg.url, redisClientOptions(cfg));
        let down = false;
        client.on('error', (err: Error) => {
          if (!down) logger.warn(`redis unavailable: ${err.message}`);
          down = true;
        });
        client.on('ready', () => {
          if (down) logger.log('redis connection restored');
          down = false;
        });
        return client;
      },
    },
    RedisLifecycle,
  ],
  exports: [REDIS_CLIENT],
})
export class RedisModule {}
