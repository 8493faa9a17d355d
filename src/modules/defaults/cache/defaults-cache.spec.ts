import type Redis from 'ioredis';
import { Counter } from 'prom-client';
import { AppCache } from '../../../common/cache/app-cache.service';
import { DefaultsCache } from './defaults-cache';

/** A Redis stub whose INCR/GET can be switched off, to exercise the degraded paths. */
function fakeRedis() {
  const store = new Map<string, number>();
  const state = { up: true };
  const redis = {
    on: jest.fn(),
    get: jest.fn(async (k: string) => {
      if (!state.up) throw new Error('down');
      return store.has(k) ? String(store.get(k)) : null;
    }),
    pipeline: () => {
      const keys: string[] = [];
      const p = {
        incr: (k: string) => (keys.push(k), p),
        exec: async () => {
          if (!state.up) throw new Error('down');
          return keys.map((k) => {
            store.set(k, (store.get(k) ?? 0) + 1);
            return [null, store.get(k)];
          });
        },
      };
      return p;
    },
  };
  return { redis: redis as unknown as Redis, state, store };
}

describe('DefaultsCache generations', () => {
  const counter = { inc: jest.fn() } as unknown as Counter<string>;
  const appCache = {} as AppCache;

  it('changes the cache key of every context of a key when the key is written', async () => {
    const { redis } = fakeRedis();
    const cache = new DefaultsCache(redis, appCache, counter);
    const g0 = await cache.generation('k');
    await cache.invalidate(['k', 'k']);
    const g1 = await cache.generation('k');
    expect(g0).toBe('0');
    expect(g1).toBe('1');
    expect(cache.cacheKey('k', 'team=ops', g0!)).not.toBe(cache.cacheKey('k', 'team=ops', g1!));
    expect(await cache.generation('other')).toBe('0');
  });

  it('skips the cache while Redis is down and until a failed invalidation has been applied', async () => {
    const { redis, state, store } = fakeRedis();
    const cache = new DefaultsCache(redis, appCache, counter);
    state.up = false;
    expect(await cache.generation('k')).toBeNull();
    await expect(cache.invalidate(['k'])).resolves.toBeUndefined();
    state.up = true;
    // The remembered bump is applied before the cache is used again.
    expect(await cache.generation('k')).toBe('1');
    expect(store.get('defgen:k')).toBe(1);
  });
});
