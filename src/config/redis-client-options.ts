import type { RedisConfig } from './namespaces';

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
