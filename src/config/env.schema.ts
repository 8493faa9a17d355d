/**
 * The single source of truth for every environment variable nexcore reads.
 * Validation, the typed config namespaces, `.env.example` and the README table are all
 * checked against this table, so a variable cannot exist in one place and not the others.
 */
import { INGESTION_ENV_SPEC } from './env.ingestion';
export type EnvGroup = 'app' | 'database' | 'redis' | 'cache' | 'security' | 'rateLimit' | 'auth' | 'ingestion' | 'ask';

interface BaseSpec<T> {
  group: EnvGroup;
  doc: string;
  /** Absent means required. Secrets never have one. */
  default?: T;
  secret?: boolean;
  /** Phantom field carrying the parsed type. */
  readonly _type?: T;
}
export interface StringSpec extends BaseSpec<string> {
  kind: 'string';
  minLength?: number;
  pattern?: RegExp;
  allowEmpty?: boolean;
}
export interface IntSpec extends BaseSpec<number> {
  kind: 'int';
  min: number;
  max: number;
}
export interface BoolSpec extends BaseSpec<boolean> {
  kind: 'bool';
}
export interface UrlSpec extends BaseSpec<string> {
  kind: 'url';
  protocols: string[];
}
export interface EnumSpec<T extends string = string> extends BaseSpec<T> {
  kind: 'enum';
  values: readonly T[];
}
export interface ListSpec extends BaseSpec<string[]> {
  kind: 'list';
  itemPattern?: RegExp;
  forbid?: string[];
}
export type VarSpec = StringSpec | IntSpec | BoolSpec | UrlSpec | EnumSpec | ListSpec;

const str = (s: Omit<StringSpec, 'kind'>): StringSpec => ({ kind: 'string', ...s });
const int = (s: Omit<IntSpec, 'kind'>): IntSpec => ({ kind: 'int', ...s });
const bool = (s: Omit<BoolSpec, 'kind'>): BoolSpec => ({ kind: 'bool', ...s });
const url = (s: Omit<UrlSpec, 'kind'>): UrlSpec => ({ kind: 'url', ...s });
const list = (s: Omit<ListSpec, 'kind'>): ListSpec => ({ kind: 'list', ...s });
const oneOf = <T extends string>(s: Omit<EnumSpec<T>, 'kind'>): EnumSpec<T> => ({ kind: 'enum', ...s });

export const ENV_SPEC = {
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
  CORS_ORIGINS: list({
    group: 'security',
    default: [],
    itemPattern: /^https?:\/\/[^\s/]+$/,
    forbid: ['*'],
    doc: 'Comma-separated browser origins allowed to call the API (exact match, no *)',
  }),
  DATABASE_URL: url({
    group: 'database',
    protocols: ['postgres:', 'postgresql:'],
    secret: true,
    doc: 'PostgreSQL connection URL',
  }),
  DB_POOL_SIZE: int({ group: 'database', default: 10, min: 1, max: 100, doc: 'Connections per process' }),
  DB_CONNECT_RETRIES: int({
    group: 'database',
    default: 2,
    min: 0,
    max: 20,
    doc: 'Extra connection attempts at boot before the process gives up',
  }),
  DB_STATEMENT_TIMEOUT_MS: int({
    group: 'database',
    default: 15000,
    min: 100,
    max: 600000,
    doc: 'Postgres statement_timeout for the app connections',
  }),
  DB_MIGRATIONS_RUN: bool({
    group: 'database',
    default: true,
    doc: 'Run pending migrations at boot under a Postgres advisory lock',
  }),
  REDIS_URL: url({ group: 'redis', protocols: ['redis:', 'rediss:'], secret: true, doc: 'Redis connection URL' }),
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
  CACHE_TTL_SECONDS: int({ group: 'cache', default: 300, min: 1, max: 604800, doc: 'Default cache entry lifetime' }),
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
    doc: 'If set, GET /metrics needs Authorization: Bearer <token>',
  }),
  RATE_LIMIT_THRESHOLD: int({
    group: 'rateLimit',
    default: 100,
    min: 1,
    max: 1000000,
    doc: 'Requests a client may make per window (shared by all instances through Redis)',
  }),
  TIME_WINDOW_SECONDS: int({ group: 'rateLimit', default: 60, min: 1, max: 86400, doc: 'Rate-limit window length' }),
  JWT_ISSUER: str({
    group: 'auth',
    default: 'nexcore',
    pattern: /^[A-Za-z0-9:/._-]{1,128}$/,
    doc: 'iss claim written into and required of every access token',
  }),
  JWT_AUDIENCE: str({
    group: 'auth',
    default: 'nexcore-api',
    pattern: /^[A-Za-z0-9:/._-]{1,128}$/,
    doc: 'aud claim written into and required of every access token',
  }),
  ACCESS_TOKEN_TTL_SECONDS: int({
    group: 'auth',
    default: 900,
    min: 1,
    max: 86400,
    doc: 'Access token (JWT) lifetime',
  }),
  REFRESH_TOKEN_TTL_SECONDS: int({
    group: 'auth',
    default: 2592000,
    min: 60,
    max: 31536000,
    doc: 'Refresh token / session lifetime, sliding: every refresh extends it by this much',
  }),
  ARGON2_MEMORY_KIB: int({
    group: 'auth',
    default: 19456,
    min: 1024,
    max: 4194304,
    doc: 'argon2id memory cost in KiB for password hashes',
  }),
  ARGON2_TIME_COST: int({ group: 'auth', default: 2, min: 1, max: 20, doc: 'argon2id iterations' }),
  ARGON2_PARALLELISM: int({ group: 'auth', default: 1, min: 1, max: 16, doc: 'argon2id lanes' }),
  LOGIN_MAX_FAILURES_PER_EMAIL: int({
    group: 'auth',
    default: 5,
    min: 1,
    max: 10000,
    doc: 'Failed logins for one email within the window before logins for it answer 429',
  }),
  LOGIN_MAX_FAILURES_PER_IP: int({
    group: 'auth',
    default: 50,
    min: 1,
    max: 1000000,
    doc: 'Failed logins from one IP within the window before logins from it answer 429',
  }),
  LOGIN_FAILURE_WINDOW_SECONDS: int({
    group: 'auth',
    default: 900,
    min: 1,
    max: 86400,
    doc: 'Window of the failed-login counters (the lockout lasts until it ends)',
  }),
  LOGIN_LIMITER_FAIL_MODE: oneOf({
    group: 'auth',
    values: ['open', 'closed'] as const,
    default: 'open',
    doc: 'When Redis is down: open lets logins through (argon2 still slows guessing), closed answers 503',
  }),
  USER_STATUS_CACHE_SECONDS: int({
    group: 'auth',
    default: 30,
    min: 1,
    max: 900,
    doc: 'How long a user role/disabled flag and an API key record are cached (changes also evict it)',
  }),
  API_KEY_HMAC_SECRET: str({
    group: 'auth',
    default: '',
    allowEmpty: true,
    minLength: 32,
    secret: true,
    doc: 'HMAC-SHA256 key for API key hashes; empty derives one from JWT_SECRET with HKDF',
  }),
  API_KEY_ROTATION_GRACE_SECONDS: int({
    group: 'auth',
    default: 86400,
    min: 0,
    max: 2592000,
    doc: 'After a rotation the previous API key secret keeps working this long',
  }),
  API_KEY_LAST_USED_FLUSH_SECONDS: int({
    group: 'auth',
    default: 60,
    min: 1,
    max: 3600,
    doc: 'API key last_used_at is collected in memory and written in one batch this often',
  }),
  ADMIN_EMAIL: str({
    group: 'auth',
    default: '',
    allowEmpty: true,
    pattern: /^[^\s@]+@[^\s@]+$/,
    doc: 'With ADMIN_PASSWORD, creates this admin at boot if no user has the email (idempotent)',
  }),
  ADMIN_PASSWORD: str({
    group: 'auth',
    default: '',
    allowEmpty: true,
    minLength: 12,
    secret: true,
    doc: 'Password of the ADMIN_EMAIL account created at boot (ignored once it exists)',
  }),
  ...INGESTION_ENV_SPEC,
} as const satisfies Record<string, VarSpec>;

export type EnvSpec = typeof ENV_SPEC;
export type EnvName = keyof EnvSpec;
type Parsed<S> = S extends { _type?: infer T } ? Exclude<T, undefined> : never;
type EnumOf<S> = S extends EnumSpec<infer T> ? T : never;
export type Env = {
  [K in EnvName]: EnvSpec[K] extends EnumSpec ? EnumOf<EnvSpec[K]> : Parsed<EnvSpec[K]>;
};
