import { int, bool, VarSpec } from './kinds';

/** Environment variables of the `feedback` group (see ../env.schema.ts). */
export const FEEDBACK_VARS = {
  FEEDBACK_ALLOW_ANONYMOUS: bool({
    group: 'feedback',
    default: false,
    doc: 'Accept POST /feedback without credentials (rate-limited per IP)',
  }),
  FEEDBACK_IDEMPOTENCY_TTL_SECONDS: int({
    group: 'feedback',
    default: 86400,
    min: 60,
    max: 604800,
    doc: 'How long an Idempotency-Key replays the first response',
  }),
  FEEDBACK_EXPORT_BATCH_SIZE: int({
    group: 'feedback',
    default: 500,
    min: 10,
    max: 10000,
    doc: 'Rows fetched per query while streaming GET /feedback/export',
  }),
} as const satisfies Record<string, VarSpec>;
