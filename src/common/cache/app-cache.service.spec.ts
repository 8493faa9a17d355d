import type { Cache } from 'cache-manager';
import { Counter, Registry } from 'prom-client';
import { AppCache } from './app-cache.service';

function setup(overrides: Partial<Record<'get' | 'mget' | 'set' | 'mdel', jest.Mock>>, commandTimeoutMs = 50) {
  const listeners: Record<string, (e: unknown) => void> = {};
  const cache = {
    get: jest.fn().mockResolvedValue(undefined),
    mget: jest.fn().mockImplementation(async (keys: string[]) => keys.map(() => undefined)),
    set: jest.fn().mockImplementation(async (_k: string, v: unknown) => v),
    mdel: jest.fn().mockResolvedValue(true),
    on: jest.fn((event: string, fn: (e: unknown) => void) => (listeners[event] = fn)),
    ...overrides,
  } as unknown as Cache;
  const registry = new Registry();
  const ops = new Counter({ name: 'ops', help: 'h', labelNames: ['op', 'result'], registers: [registry] });
  const svc = new AppCache(cache, { url: 'redis://x', keyPrefix: 'p:', commandTimeoutMs }, ops);
  const count = async (op: string, result: string) =>
    (await ops.get()).values.find((v) => v.labels.op === op && v.labels.result === result)?.value ?? 0;
  return { svc, cache, listeners, count };
}

describe('AppCache', () => {
  it('counts hits and misses', async () => {
    const { svc, count } = setup({ get: jest.fn().mockResolvedValueOnce({ a: 1 }).mockResolvedValueOnce(undefined) });
    expect(await svc.get('k')).toEqual({ a: 1 });
    expect(await svc.get('k')).toBeUndefined();
    expect(await count('get', 'hit')).toBe(1);
    expect(await count('get', 'miss')).toBe(1);
  });

  it('reads several keys in one call, misses as undefined, a failure as all misses', async () => {
    const { svc, count } = setup({
      mget: jest
        .fn()
        .mockResolvedValueOnce([{ a: 1 }, null])
        .mockRejectedValueOnce(new Error('down')),
    });
    expect(await svc.getMany(['a', 'b'])).toEqual([{ a: 1 }, undefined]);
    expect(await count('get', 'hit')).toBe(1);
    expect(await count('get', 'miss')).toBe(1);
    expect(await svc.getMany(['a', 'b'])).toEqual([undefined, undefined]);
    expect(await count('get', 'error')).toBe(1);
  });

  it('turns a failing store into a miss and a no-op write, never an exception', async () => {
    const boom = jest.fn().mockRejectedValue(new Error('ECONNREFUSED'));
    const { svc, count } = setup({ get: boom, set: boom, mdel: boom });
    await expect(svc.get('k')).resolves.toBeUndefined();
    await expect(svc.set('k', 1)).resolves.toBe(false);
    await expect(svc.del('k')).resolves.toBe(false);
    expect(await count('set', 'error')).toBe(1);
    expect(await count('del', 'error')).toBe(1);
  });

  it('gives up on a store that hangs after the command timeout', async () => {
    const hang = jest.fn(() => new Promise(() => undefined));
    const { svc } = setup({ set: hang }, 20);
    const started = Date.now();
    await expect(svc.set('k', 1)).resolves.toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('counts read errors that cache-manager reports only as events', async () => {
    const { listeners, count } = setup({});
    listeners.get({ key: 'k', error: new Error('down') });
    listeners.get({ key: 'k', value: 1 });
    listeners.mget({ keys: ['k'], error: new Error('down') });
    expect(await count('get', 'error')).toBe(2);
  });

  it('read-through calls the loader on a miss and caches its result', async () => {
    const { svc, cache } = setup({});
    const loader = jest.fn().mockResolvedValue('v');
    expect(await svc.wrap('k', loader, 30)).toBe('v');
    expect(cache.set).toHaveBeenCalledWith('k', 'v', 30000);
    expect(await svc.del()).toBe(true);
  });
});
