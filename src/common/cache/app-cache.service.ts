import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Cache } from 'cache-manager';
import { Counter } from 'prom-client';
import { redisConfig, RedisConfig } from '../../config/namespaces';
import { rejectAfter } from '../async/deadline';
import { CACHE_OPERATIONS_TOTAL } from '../metrics/metric-names';

class CacheTimeoutError extends Error {}
const FAILED = Symbol('cache-failed');

/**
 * The cache every feature uses. A cache is an optimisation, so an unreachable or slow Redis
 * turns reads into misses and writes into no-ops: a request never fails because of it. Each
 * outage is logged once (and its end once), every failed call is counted.
 */
@Injectable()
export class AppCache {
  private readonly logger = new Logger('Cache');
  private degraded = false;

  constructor(
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    @Inject(redisConfig.KEY) private readonly redis: RedisConfig,
    @InjectMetric(CACHE_OPERATIONS_TOTAL) private readonly ops: Counter<string>,
  ) {
    // cache-manager turns failed reads into misses and reports the error only as an event.
    for (const event of ['get', 'mget'] as const) {
      this.cache.on(event, (e: { error?: unknown }) => {
        if (e.error) this.failed('get', e.error);
      });
    }
  }

  async get<T>(key: string): Promise<T | undefined> {
    const value = await this.guard('get', () => this.cache.get<T>(key));
    if (value === FAILED) return undefined;
    // A failed read also counts as a miss (the error counter says why).
    this.ops.inc({ op: 'get', result: value === undefined || value === null ? 'miss' : 'hit' });
    return value ?? undefined;
  }

  /** Several keys in one round trip (MGET); each value or undefined, like `get`. */
  async getMany(keys: string[]): Promise<unknown[]> {
    const values = await this.guard('get', () => this.cache.mget<unknown>(keys));
    if (values === FAILED) return keys.map(() => undefined);
    return keys.map((_, i) => {
      const value = values[i];
      this.ops.inc({ op: 'get', result: value === undefined || value === null ? 'miss' : 'hit' });
      return value ?? undefined;
    });
  }

  /** ttlSeconds defaults to CACHE_TTL_SECONDS. */
  async set<T>(key: string, value: T, ttlSeconds?: number): Promise<boolean> {
    const ok = await this.guard('set', () => this.cache.set(key, value, ttlSeconds ? ttlSeconds * 1000 : undefined));
    if (ok === FAILED) return false;
    this.ops.inc({ op: 'set', result: 'ok' });
    return true;
  }

  async del(...keys: string[]): Promise<boolean> {
    if (!keys.length) return true;
    const ok = await this.guard('del', () => this.cache.mdel(keys));
    return ok !== FAILED;
  }

  /** Read-through: the loader's result is cached; a cache outage just calls the loader. */
  async wrap<T>(key: string, loader: () => Promise<T>, ttlSeconds?: number): Promise<T> {
    const hit = await this.get<T>(key);
    if (hit !== undefined) return hit;
    const value = await loader();
    if (value !== undefined) await this.set(key, value, ttlSeconds);
    return value;
  }

  private async guard<T>(op: string, call: () => Promise<T>): Promise<T | typeof FAILED> {
    try {
      const result = await rejectAfter(
        call(),
        this.redis.commandTimeoutMs,
        () => new CacheTimeoutError('cache call timed out'),
      );
      if (this.degraded && op !== 'get') {
        this.degraded = false;
        this.logger.log('cache reachable again');
      }
      return result;
    } catch (err) {
      this.failed(op, err);
      return FAILED;
    }
  }

  private failed(op: string, err: unknown): void {
    this.ops.inc({ op, result: 'error' });
    if (!this.degraded) {
      this.degraded = true;
      this.logger.warn(`cache unavailable, serving without it: ${(err as Error)?.message ?? String(err)}`);
    }
  }
}
