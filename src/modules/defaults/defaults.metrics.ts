import { makeCounterProvider } from '@willsoto/nestjs-prometheus';

export const DEFAULTS_RESOLVE_TOTAL = 'defaults_resolve_total';
export const DEFAULTS_REDIS_DEGRADED_TOTAL = 'defaults_redis_degraded_total';

export const defaultsMetricProviders = [
  makeCounterProvider({
    name: DEFAULTS_RESOLVE_TOTAL,
    help: 'Resolves by where the answer came from (cache, cache_miss, negative_cache, db_no_cache)',
    labelNames: ['source'],
  }),
  makeCounterProvider({
    name: DEFAULTS_REDIS_DEGRADED_TOTAL,
    help: 'Defaults operations that ran without Redis (generation read/bump, usage count)',
    labelNames: ['op'],
  }),
];
