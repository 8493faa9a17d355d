import { int, VarSpec } from './kinds';

/** Environment variables of the `cache` group (see ../env.schema.ts). */
export const CACHE_VARS = {
  CACHE_TTL_SECONDS: int({ group: 'cache', default: 300, min: 1, max: 604800, doc: 'Default cache entry lifetime' }),
} as const satisfies Record<string, VarSpec>;
