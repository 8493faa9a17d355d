import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type Redis from 'ioredis';
import { Counter } from 'prom-client';
import { AppCache } from '../../../common/cache/app-cache.service';
import { REDIS_CLIENT } from '../../../common/redis/redis.module';
import { DEFAULTS_REDIS_DEGRADED_TOTAL } from '../defaults.metrics';

const genKey = (key: string) => `defgen:${key}`;

/**
 * Resolve results cached through AppCache under `def:{context}:{key}@{generation}`.
 *
 * Every key has a generation counter in Redis; a write to the key INCRs it, which makes every
 * cached resolution of that key — exact, fallback, global or negative, for any asked context —
 * unreachable at once, on every instance (they all read the counter). A reader reads the
 * counter before it reads Postgres, so a stale load can only be stored under an old
 * generation nobody asks for again.
 *
 * Without Redis the cache is skipped entirely. A bump that failed is remembered and retried
 * first; until it succeeds this instance bypasses the cache (see docs/defaults.md for the
 * remaining window on other instances).
 */
@Injectable()
export class DefaultsCache implements OnModuleInit {
  private readonly logger = new Logger('DefaultsCache');
  private readonly pendingBumps = new Set<string>();

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    private readonly cache: AppCache,
    @InjectMetric(DEFAULTS_REDIS_DEGRADED_TOTAL) private readonly degraded: Counter<string>,
  ) {}

  onModuleInit(): void {
    this.redis.on('ready', () => void this.retryPending());
  }

  cacheKey(key: string, context: string, generation: string): string {
    return `def:${context}:${key}@${generation}`;
  }

  /** The key's generation, or null when the cache must not be used (Redis unreachable). */
  async generation(key: string): Promise<string | null> {
    if (this.pendingBumps.size && !(await this.retryPending())) return null;
    try {
      return (await this.redis.get(genKey(key))) ?? '0';
    } catch {
      this.degraded.inc({ op: 'generation' });
      return null;
    }
  }

  get<T>(cacheKey: string): Promise<T | undefined> {
    return this.cache.get<T>(cacheKey);
  }

  set<T>(cacheKey: string, value: T, ttlSeconds: number): Promise<boolean> {
    return this.cache.set(cacheKey, value, ttlSeconds);
  }

  /** Invalidates every cached resolution of these keys. Never throws. */
  async invalidate(keys: Iterable<string>): Promise<void> {
    const unique = [...new Set(keys)];
    if (!unique.length) return;
    try {
      const pipe = this.redis.pipeline();
      for (const k of unique) pipe.incr(genKey(k));
      const results = (await pipe.exec()) ?? [];
      if (results.some(([err]) => err)) throw new Error('INCR failed');
    } catch (err) {
      this.degraded.inc({ op: 'invalidate' });
      for (const k of unique) this.pendingBumps.add(k);
      this.logger.warn(
        `could not invalidate ${unique.length} key(s), cache bypassed until Redis answers: ${(err as Error).message}`,
      );
    }
  }

  private async retryPending(): Promise<boolean> {
    if (!this.pendingBumps.size) return true;
    const keys = [...this.pendingBumps];
    try {
      const pipe = this.redis.pipeline();
      for (const k of keys) pipe.incr(genKey(k));
      const results = (await pipe.exec()) ?? [];
      if (results.some(([err]) => err)) return false;
      for (const k of keys) this.pendingBumps.delete(k);
      this.logger.log(`applied ${keys.length} delayed invalidation(s)`);
      return true;
    } catch {
      return false;
    }
  }
}
