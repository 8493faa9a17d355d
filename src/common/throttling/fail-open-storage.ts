import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { Counter } from 'prom-client';
import { RedisConfig } from '../../config/namespaces';
import { redisClientOptions } from '../../config/redis-client-options';

/**
 * Redis-backed counters shared by every instance. When Redis is unreachable the limiter fails
 * OPEN (the request is let through, the outage logged once and counted): an outage of the cache
 * server must not take the whole API down. The decision is documented in the README.
 */
export class FailOpenThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimit');
  private readonly inner: ThrottlerStorageRedisService;
  private degraded = false;

  constructor(
    cfg: RedisConfig,
    private readonly degradedCounter?: Counter<string>,
  ) {
    // The storage owns (and closes) this client; keys get the deployment's prefix.
    this.inner = new ThrottlerStorageRedisService(cfg.url, redisClientOptions(cfg));
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    try {
      const record = await this.inner.increment(key, ttl, limit, blockDuration, throttlerName);
      if (this.degraded) {
        this.degraded = false;
        this.logger.log('rate-limit storage reachable again');
      }
      return record;
    } catch (err) {
      this.degradedCounter?.inc({ component: 'rate-limit' });
      if (!this.degraded) {
        this.degraded = true;
        this.logger.warn(`rate-limit storage unavailable, failing open: ${(err as Error).message}`);
      }
      return { totalHits: 0, timeToExpire: Math.ceil(ttl / 1000), isBlocked: false, timeToBlockExpire: 0 };
    }
  }

  onApplicationShutdown(): void {
    this.inner.onModuleDestroy();
  }
}
