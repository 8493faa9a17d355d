import { str, int, url, VarSpec } from './kinds';

/** Environment variables of the `redis` group (see ../env.schema.ts). */
export const REDIS_VARS = {
  REDIS_URL: url({
    group: 'redis',
    protocols: ['redis:', 'rediss:'],
    default: '',
    secret: true,
    doc: 'Redis connection URL; empty keeps cache, rate limits and background jobs in process memory, for one instance only',
  }),
  REDIS_KEY_PREFIX: str({
    group: 'redis',
    default: 'nexcore:',
    pattern: /^[A-Za-z0-9:._-]{1,64}$/,
    doc: 'Prefix of every key nexcore writes (lets environments share one Redis)',
  }),
  REDIS_COMMAND_TIMEOUT_MS: int({
    group: 'redis',
    default: 500,
    min: 50,
    max: 30000,
    doc: 'A Redis call slower than this counts as failed (cache miss, limiter fails open)',
  }),
} as const satisfies Record<string, VarSpec>;
