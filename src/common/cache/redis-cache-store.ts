import KeyvRedis from '@keyv/redis';
import { Logger } from '@nestjs/common';
import Keyv from 'keyv';
import { RedisConfig } from '../../config/namespaces';

/**
 * A cache has nothing worth a graceful QUIT at shutdown, and a graceful close of a client that
 * is reconnecting waits for Redis to come back: always close hard so shutdown never hangs.
 */
class HardClosingKeyvRedis extends KeyvRedis<string> {
  override async disconnect(): Promise<void> {
    await super.disconnect(true);
  }
}

/**
 * The Keyv Redis store for @nestjs/cache-manager 3 (cache-manager 7); cache-manager-redis-yet
 * targets cache-manager 5's `store:` option and under 7 keeps everything in process memory (see
 * README). The offline queue is off so that, while Redis is away, calls fail fast and become
 * misses.
 */
export function createRedisCacheStore(cfg: RedisConfig, logger = new Logger('Cache')): Keyv {
  const store = new HardClosingKeyvRedis(
    {
      url: cfg.url,
      disableOfflineQueue: true,
      socket: {
        connectTimeout: 2000,
        reconnectStrategy: (retries: number) => Math.min(retries * 200, 2000),
      },
    },
    { throwOnConnectError: false, throwOnErrors: true, connectionTimeout: 2000 },
  );
  // throwOnErrors lets AppCache see failures (and count them) instead of Keyv hiding them.
  const keyv = new Keyv({ store, namespace: `${cfg.keyPrefix}cache`, useKeyPrefix: true, throwOnErrors: true });
  // An unhandled 'error' event would crash the process; outages are reported by AppCache.
  const quiet = (err: Error) => logger.debug(`cache store error: ${err.message}`);
  store.on('error', quiet);
  keyv.on('error', quiet);
  return keyv;
}
