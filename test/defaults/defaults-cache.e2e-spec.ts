import { NestFastifyApplication } from '@nestjs/platform-fastify';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { UsageCounter } from '../../src/modules/defaults/usage-counter';
import { bearer, bootAuthApp, createUser, http, TestUser } from '../support/auth';
import { TEST_REDIS_URL } from '../support/test-env';

/** Two instances sharing one Redis prefix, as two replicas in production do. */
describe('defaults cache (Redis, generation invalidation, two instances, usage counters)', () => {
  let a: NestFastifyApplication;
  let b: NestFastifyApplication;
  let admin: TestUser;
  let raw: Redis;
  const prefix = process.env.REDIS_KEY_PREFIX!;
  const base = '/api/v1/defaults';

  const put = (app: NestFastifyApplication, key: string, body: object) =>
    http(app).put(`${base}/${key}`).set(bearer(admin.accessToken)).send(body);
  const get = (app: NestFastifyApplication, key: string, context = '') =>
    http(app).get(`${base}/${key}`).query({ context }).set(bearer(admin.accessToken));
  const sql = (q: string, p: unknown[] = []) => a.get(DataSource).query(q, p);

  beforeAll(async () => {
    a = await bootAuthApp({
      DEFAULTS_CACHE_TTL_SECONDS: '600',
      DEFAULTS_NEGATIVE_CACHE_TTL_SECONDS: '60',
      DEFAULTS_USAGE_FLUSH_SECONDS: '3600',
    });
    b = await bootAuthApp({
      DEFAULTS_CACHE_TTL_SECONDS: '600',
      DEFAULTS_NEGATIVE_CACHE_TTL_SECONDS: '60',
      DEFAULTS_USAGE_FLUSH_SECONDS: '3600',
    });
    admin = await createUser(a, { admin: true });
    raw = new Redis(TEST_REDIS_URL);
  });
  afterAll(async () => {
    raw?.disconnect();
    await a?.close();
    await b?.close();
  });

  it('stores resolve results in Redis with the configured TTL and serves repeats from there', async () => {
    await put(a, 'cache.key', { context: 'team=ops', value: 'v1' }).expect(201);
    expect((await get(a, 'cache.key', 'team=ops').expect(200)).body.value).toBe('v1');
    const keys = await raw.keys(`${prefix}*def:team=ops:cache.key@*`);
    expect(keys).toHaveLength(1);
    expect(await raw.get(keys[0])).toContain('"v1"');
    const ttl = await raw.pttl(keys[0]);
    expect(ttl).toBeGreaterThan(590_000);
    expect(ttl).toBeLessThanOrEqual(600_000);
    // Changed behind the service's back: the cached answer is what comes back, proving the cache is used.
    await sql(`UPDATE default_values SET value = '"sneaky"' WHERE key = 'cache.key'`);
    expect((await get(a, 'cache.key', 'team=ops').expect(200)).body.value).toBe('v1');
    expect((await get(b, 'cache.key', 'team=ops').expect(200)).body.value).toBe('v1');
  });

  it('a write on one instance is seen at once by reads on the other, exact and fallback alike', async () => {
    await put(a, 'shared.key', { value: 'global-1' }).expect(201);
    // Both instances cache fallback resolutions of deeper contexts onto the global row.
    expect((await get(a, 'shared.key', 'team=ops;env=prod').expect(200)).body).toMatchObject({
      value: 'global-1',
      match: 'global',
    });
    expect((await get(b, 'shared.key', 'team=ops;env=dev').expect(200)).body).toMatchObject({
      value: 'global-1',
      match: 'global',
    });

    await put(b, 'shared.key', { context: 'team=ops', value: 'ops' }).expect(201);
    expect((await get(a, 'shared.key', 'team=ops;env=prod').expect(200)).body).toMatchObject({
      value: 'ops',
      match: 'fallback',
    });
    expect((await get(b, 'shared.key', 'team=ops;env=dev').expect(200)).body).toMatchObject({
      value: 'ops',
      match: 'fallback',
    });

    await put(a, 'shared.key', { value: 'global-2' }).expect(200);
    expect((await get(b, 'shared.key', 'team=sales').expect(200)).body.value).toBe('global-2');

    await http(b)
      .delete(`${base}/shared.key`)
      .query({ context: 'team=ops' })
      .set(bearer(admin.accessToken))
      .expect(204);
    expect((await get(a, 'shared.key', 'team=ops;env=prod').expect(200)).body).toMatchObject({
      value: 'global-2',
      match: 'global',
    });

    await http(a)
      .post(`${base}/batch`)
      .set(bearer(admin.accessToken))
      .send({ items: [{ op: 'upsert', key: 'shared.key', context: 'env=prod', value: 'batch' }] })
      .expect(200);
    expect((await get(b, 'shared.key', 'team=ops;env=prod').expect(200)).body).toMatchObject({
      value: 'batch',
      matchedContext: 'env=prod',
    });
  });

  it('caches misses briefly, and a write that creates the key ends the negative entry everywhere', async () => {
    await get(a, 'missing.key', 'team=ops').expect(404);
    const neg = await raw.keys(`${prefix}*def:team=ops:missing.key@*`);
    expect(neg).toHaveLength(1);
    const ttl = await raw.pttl(neg[0]);
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    await sql(`INSERT INTO default_values (key, context, value) VALUES ('missing.key', '', '"behind"')`);
    await get(b, 'missing.key', 'team=ops').expect(404);
    await put(b, 'missing.key', { context: 'team=ops', value: 'now' }).expect(201);
    expect((await get(a, 'missing.key', 'team=ops').expect(200)).body.value).toBe('now');
  });

  it('counts usage in each instance, not in Postgres or Redis, until its flush adds it up', async () => {
    const created = await put(a, 'usage.key', { value: 1 }).expect(201);
    for (let i = 0; i < 4; i++) await get(a, 'usage.key').expect(200);
    for (let i = 0; i < 3; i++) await get(b, 'usage.key', 'team=x').expect(200);
    await new Promise((r) => setTimeout(r, 50));
    expect((await sql(`SELECT usage_count FROM default_values WHERE id = $1`, [created.body.id]))[0].usage_count).toBe(
      '0',
    );
    // Nothing in Redis: a Redis restart cannot take counts with it (test/chaos/redis-outage).
    expect(await raw.keys(`${prefix}defaults:usage*`)).toEqual([]);
    await a.get(UsageCounter).flush();
    const [row] = await sql(`SELECT usage_count, last_used_at FROM default_values WHERE id = $1`, [created.body.id]);
    expect(row.usage_count).toBe('4');
    expect(row.last_used_at).not.toBeNull();
    await a.get(UsageCounter).flush();
    await b.get(UsageCounter).flush();
    expect((await sql(`SELECT usage_count FROM default_values WHERE id = $1`, [created.body.id]))[0].usage_count).toBe(
      '7',
    );
  });

  it('emits defaults.changed with key, context and action on writes', async () => {
    const { EventEmitter2 } = await import('@nestjs/event-emitter');
    const seen: unknown[] = [];
    a.get(EventEmitter2).on('defaults.changed', (e: unknown) => seen.push(e));
    await put(a, 'event.key', { context: { Team: 'ops' }, value: 1 }).expect(201);
    await http(a).delete(`${base}/event.key`).query({ context: 'team=ops' }).set(bearer(admin.accessToken)).expect(204);
    expect(seen).toEqual([
      { key: 'event.key', context: 'team=ops', action: 'upsert' },
      { key: 'event.key', context: 'team=ops', action: 'delete' },
    ]);
  });
});
