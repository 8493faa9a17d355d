import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { MemoryRedis } from '../src/common/redis/memory-redis';
import { TEST_REDIS_URL } from './support/test-env';

type Client = Pick<
  MemoryRedis,
  'get' | 'del' | 'incr' | 'decr' | 'pexpire' | 'expire' | 'pttl' | 'hincrby' | 'hgetall' | 'rename' | 'ping' | 'multi'
>;

/** Every command shape nexcore's services send through REDIS_CLIENT, in one script. */
async function script(c: Client): Promise<unknown[]> {
  const out: unknown[] = [];
  const step = async (p: Promise<unknown>) =>
    out.push(
      await p.then(
        (v) => v,
        (e: Error) => `error: ${e.message.split(' ')[0]}`,
      ),
    );
  // pttl values are times; only their kind (missing, no expiry, counting down) is compared.
  const ttl = async (k: string) => out.push(((n: number) => (n < 0 ? n : n > 0 ? 'ttl' : 0))(await c.pttl(k)));
  await step(c.ping());
  await step(c.get('s'));
  await ttl('s');
  // Login limiter: one MULTI reserves (INCR + PEXPIRE NX per key, then PTTL), DECR + PEXPIRE NX
  // gives an IP slot back, DEL on success.
  for (let i = 0; i < 2; i++) {
    const replies = (await c
      .multi()
      .incr('fail')
      .pexpire('fail', 60000, 'NX')
      .incr('ip')
      .pexpire('ip', 60000, 'NX')
      .pttl('fail')
      .pttl('ip')
      .exec()) as [unknown, unknown][];
    out.push(replies.slice(0, 4), Number(replies[4][1]) > 0, Number(replies[5][1]) > 0);
  }
  await step(c.multi().decr('ip').pexpire('ip', 60000, 'NX').exec());
  await step(c.multi().decr('gone').pexpire('gone', 60000, 'NX').exec());
  await ttl('gone');
  await step(c.decr('gone'));
  const [[, e], [, ip], [, eTtl]] = (await c.multi().get('fail').get('ip').pttl('fail').pttl('ip').exec()) as [
    unknown,
    unknown,
  ][];
  out.push(e, ip, Number(eTtl) > 0);
  await step(c.del('fail'));
  await step(c.del('fail', 'missing'));
  // Ask usage: HINCRBY, EXPIRE, HGETALL, negative increments.
  await step(c.hincrby('usage', 'questions', 1));
  await step(c.expire('usage', 400 * 86400));
  await step(c.hincrby('usage', 'questions', -1));
  await step(c.hincrby('usage', 'tokens', 42));
  await step(c.hgetall('usage'));
  await step(c.hgetall('missing'));
  await ttl('usage');
  // Defaults: generation counters through a pipeline, usage hash renamed away and read.
  await step(c.multi().incr('gen:a').incr('gen:b').incr('gen:a').exec());
  await step(c.get('gen:a'));
  await step(c.rename('nothing', 'x'));
  await step(c.rename('usage', 'staging'));
  await step(c.hgetall('staging'));
  await ttl('staging');
  // Wrong types are errors, also inside a MULTI.
  await step(c.get('staging'));
  await step(c.incr('staging'));
  await step(
    c
      .multi()
      .get('staging')
      .incr('gen:a')
      .exec()
      .then((r) => r.map(([err, v]) => (err ? 'error' : v))),
  );
  return out;
}

describe('MemoryRedis answers like Redis for the commands nexcore uses', () => {
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(TEST_REDIS_URL, { keyPrefix: `nxt:parity:${randomBytes(4).toString('hex')}:` });
  });
  afterAll(() => redis.quit());

  it('same replies, step by step, from one script', async () => {
    const memory = new MemoryRedis();
    try {
      const expected = await script(redis as unknown as Client);
      const actual = await script(memory);
      expect(actual).toEqual(expected);
      expect(expected).toContain('error: ERR');
    } finally {
      memory.disconnect();
      await redis.del('s', 'fail', 'ip', 'gone', 'usage', 'gen:a', 'gen:b', 'staging');
    }
  });
});
