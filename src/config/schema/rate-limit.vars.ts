import { int, VarSpec } from './kinds';

/** Environment variables of the `rateLimit` group (see ../env.schema.ts). */
export const RATE_LIMIT_VARS = {
  RATE_LIMIT_THRESHOLD: int({
    group: 'rateLimit',
    default: 100,
    min: 1,
    max: 1000000,
    doc: 'Requests a client may make per window (shared by all instances through Redis)',
  }),
  TIME_WINDOW_SECONDS: int({ group: 'rateLimit', default: 60, min: 1, max: 86400, doc: 'Rate-limit window length' }),
  AUTH_FAILURE_LIMIT: int({
    group: 'rateLimit',
    default: 30,
    min: 1,
    max: 1000000,
    doc: 'Failed or missing authentications a client IP may cause per AUTH_FAILURE_WINDOW_SECONDS; beyond it every credentialed or protected request from that IP answers 429 before any key or token lookup',
  }),
  AUTH_FAILURE_WINDOW_SECONDS: int({
    group: 'rateLimit',
    default: 60,
    min: 1,
    max: 86400,
    doc: 'Window (and block length) of AUTH_FAILURE_LIMIT',
  }),
} as const satisfies Record<string, VarSpec>;
