import { str, int, bool, oneOf, VarSpec } from './kinds';

/** Environment variables of the `app` group (see ../env.schema.ts). */
export const APP_VARS = {
  NODE_ENV: oneOf({
    group: 'app',
    values: ['development', 'test', 'production'] as const,
    default: 'development',
    doc: 'Runtime mode; production refuses the placeholder values from .env.example',
  }),
  APP_ROLE: oneOf({
    group: 'app',
    values: ['api', 'worker', 'all'] as const,
    default: 'all',
    doc: 'api serves HTTP only, worker runs background jobs only, all does both',
  }),
  ALLOW_EMBEDDED_IN_PRODUCTION: bool({
    group: 'app',
    default: false,
    doc: 'Let NODE_ENV=production boot without DATABASE_URL or REDIS_URL (embedded, single-instance mode)',
  }),
  HOST: str({ group: 'app', default: '0.0.0.0', minLength: 1, doc: 'Interface to listen on' }),
  PORT: int({ group: 'app', default: 3000, min: 1, max: 65535, doc: 'HTTP port (Railway sets it)' }),
  LOG_LEVEL: oneOf({
    group: 'app',
    values: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const,
    default: 'info',
    doc: 'Minimum log level',
  }),
  TRUST_PROXY: bool({
    group: 'app',
    default: false,
    doc: 'Trust X-Forwarded-* from a proxy in front (true on Railway) so client IPs are real',
  }),
  TRUST_PROXY_HOPS: int({
    group: 'app',
    default: 1,
    min: 1,
    max: 10,
    doc: 'With TRUST_PROXY=true: proxies in front that append to X-Forwarded-For (Railway: 1); the client IP is taken that many entries from the right, so a forged leftmost entry is ignored',
  }),
  REQUEST_TIMEOUT_MS: int({
    group: 'app',
    default: 30000,
    min: 100,
    max: 600000,
    doc: 'A handler running longer than this answers 503',
  }),
  SHUTDOWN_GRACE_MS: int({
    group: 'app',
    default: 10000,
    min: 100,
    max: 120000,
    doc: 'On SIGTERM, in-flight requests get this long to finish before the process exits',
  }),
  RAILWAY_GIT_COMMIT_SHA: str({
    group: 'app',
    default: '',
    allowEmpty: true,
    pattern: /^[0-9a-f]{7,40}$/,
    doc: 'Commit being run, shown by /health/detailed (Railway sets it)',
  }),
  MAX_PAYLOAD_SIZE_MB: int({
    group: 'app',
    default: 1,
    min: 1,
    max: 50,
    doc: 'Largest accepted request body in MiB (413 beyond)',
  }),
  COMPRESSION_THRESHOLD_BYTES: int({
    group: 'app',
    default: 1024,
    min: 0,
    max: 10485760,
    doc: 'Responses larger than this are gzip/brotli-compressed when the client accepts it',
  }),
} as const satisfies Record<string, VarSpec>;
