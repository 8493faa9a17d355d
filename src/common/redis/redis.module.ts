import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown, Provider } from '@nestjs/common';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import { getToken } from '@willsoto/nestjs-prometheus';
import Redis from 'ioredis';
import Keyv from 'keyv';
import { Counter } from 'prom-client';
import { appConfig, AppConfig, redisConfig, RedisConfig } from '../../config/namespaces';
import { redisClientOptions } from '../../config/redis-client-options';
import { CACHE_STORE } from '../cache/cache-store.token';
import { createRedisCacheStore } from '../cache/redis-cache-store';
import { BullJobBroker } from '../queue/bull-job-broker';
import { JOB_BROKER, JobBroker } from '../queue/job-broker';
import { MemoryJobBroker } from '../queue/memory-queue';
import { FailOpenThrottlerStorage } from '../throttling/fail-open-storage';
import { RATE_LIMIT_STORAGE } from '../throttling/rate-limit-storage.token';
import { REDIS_DEGRADED_TOTAL } from '../metrics/metric-names';
import { MemoryRedis } from './memory-redis';

export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

/** The one test of the runtime mode: everything below is Redis-backed, or all of it is in memory. */
const onRedis = (app: AppConfig) => app.mode.redis === 'redis';

function connectRedis(cfg: RedisConfig): Redis {
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
}

const deps = [appConfig.KEY, redisConfig.KEY];

const providers: Provider[] = [
  {
    provide: REDIS_CLIENT,
    inject: deps,
    // Embedded mode: the few commands nexcore uses, answered from process memory.
    useFactory: (app: AppConfig, cfg: RedisConfig) =>
      onRedis(app) ? connectRedis(cfg) : (new MemoryRedis() as unknown as Redis),
  },
  {
    provide: CACHE_STORE,
    inject: deps,
    // In memory: Keyv's own store (a Map with TTLs), per process only.
    useFactory: (app: AppConfig, cfg: RedisConfig): Keyv =>
      onRedis(app) ? createRedisCacheStore(cfg) : new Keyv({ namespace: `${cfg.keyPrefix}cache` }),
  },
  {
    // A provider (not a bare object) so Nest closes its Redis connection (or timers) at shutdown.
    provide: RATE_LIMIT_STORAGE,
    inject: [...deps, getToken(REDIS_DEGRADED_TOTAL)],
    useFactory: (app: AppConfig, cfg: RedisConfig, degraded: Counter<string>): ThrottlerStorage =>
      onRedis(app) ? new FailOpenThrottlerStorage(cfg, degraded) : new ThrottlerStorageService(),
  },
  {
    provide: JOB_BROKER,
    inject: deps,
    useFactory: (app: AppConfig, cfg: RedisConfig): JobBroker =>
      onRedis(app) ? new BullJobBroker(cfg) : new MemoryJobBroker(),
  },
];

@Injectable()
export class RedisLifecycle implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis) {}
  async onApplicationShutdown(): Promise<void> {
    if (this.redis.status === 'end') return;
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/**
 * Redis, or process memory in the embedded mode (no REDIS_URL), decided here and nowhere else:
 * the shared client, the cache store, the rate-limit storage and the job broker.
 */
@Global()
@Module({
  providers: [...providers, RedisLifecycle],
  exports: [REDIS_CLIENT, CACHE_STORE, RATE_LIMIT_STORAGE, JOB_BROKER],
})
export class RedisModule {}
