import { MemoryRedis } from './memory-redis';

describe('MemoryRedis (embedded-mode REDIS_CLIENT)', () => {
  let r: MemoryRedis;
  beforeEach(() => (r = new MemoryRedis()));
  afterEach(() => r.disconnect());

  it('counts with INCR and expires keys with PEXPIRE (NX keeps the first expiry)', async () => {
    expect(await r.incr('k')).toBe(1);
    expect(await r.incr('k')).toBe(2);
    expect(await r.pttl('k')).toBe(-1);
    expect(await r.pexpire('k', 40, 'NX')).toBe(1);
    expect(await r.pexpire('k', 100_000, 'NX')).toBe(0);
    expect(await r.pttl('k')).toBeLessThanOrEqual(40);
    await new Promise((res) => setTimeout(res, 60));
    expect(await r.get('k')).toBeNull();
    expect(await r.pttl('k')).toBe(-2);
  });

  it('runs MULTI/pipelines in order with [error, reply] pairs, and errors per command', async () => {
    await r.hincrby('h', 'a', 2);
    const replies = await r.multi().incr('n').get('n').pttl('n').get('h').hgetall('h').exec();
    expect(replies[0]).toEqual([null, 1]);
    expect(replies[1]).toEqual([null, '1']);
    expect(replies[2]).toEqual([null, -1]);
    expect(replies[3][0]?.message).toMatch(/WRONGTYPE/);
    expect(replies[4]).toEqual([null, { a: '2' }]);
  });

  it('renames hashes away (refusing a missing key) and deletes keys', async () => {
    await expect(r.rename('none', 'x')).rejects.toThrow(/no such key/);
    await r.hincrby('usage', 'row', 3);
    await r.rename('usage', 'staging');
    expect(await r.hgetall('usage')).toEqual({});
    expect(await r.hgetall('staging')).toEqual({ row: '3' });
    expect(await r.del('staging', 'none')).toBe(1);
  });

  it('answers PING and refuses commands after quit, like a closed client', async () => {
    expect(await r.ping()).toBe('PONG');
    await r.quit();
    expect(r.status).toBe('end');
    await expect(r.get('k')).rejects.toThrow(/closed/);
  });
});
