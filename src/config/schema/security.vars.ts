import { str, list, VarSpec } from './kinds';

/** Environment variables of the `security` group (see ../env.schema.ts). */
export const SECURITY_VARS = {
  CORS_ORIGINS: list({
    group: 'security',
    default: [],
    itemPattern: /^https?:\/\/[^\s/]+$/,
    forbid: ['*'],
    doc: 'Comma-separated browser origins allowed to call the API (exact match, no *)',
  }),
  JWT_SECRET: str({
    group: 'security',
    minLength: 32,
    secret: true,
    doc: 'HMAC key for access tokens, at least 32 characters',
  }),
  METRICS_TOKEN: str({
    group: 'security',
    default: '',
    allowEmpty: true,
    minLength: 16,
    secret: true,
    doc: 'GET /metrics needs Authorization: Bearer <token>; required when NODE_ENV=production (without it /metrics is open, for development only)',
  }),
} as const satisfies Record<string, VarSpec>;
