/**
 * The single source of truth for every environment variable nexcore reads.
 * Validation, the typed config namespaces, `.env.example` and the README table are all
 * checked against this table, so a variable cannot exist in one place and not the others.
 */
export type { EnvGroup, VarSpec } from './schema/kinds';
import { EnumSpec, VarSpec } from './schema/kinds';
import { APP_VARS } from './schema/app.vars';
import { SECURITY_VARS } from './schema/security.vars';
import { DATABASE_VARS } from './schema/database.vars';
import { REDIS_VARS } from './schema/redis.vars';
import { CACHE_VARS } from './schema/cache.vars';
import { RATE_LIMIT_VARS } from './schema/rate-limit.vars';
import { AUTH_VARS } from './schema/auth.vars';
import { FEEDBACK_VARS } from './schema/feedback.vars';
import { WEBHOOKS_VARS } from './schema/webhooks.vars';
import { DEFAULTS_VARS } from './schema/defaults.vars';
import { INGESTION_VARS } from './schema/ingestion.vars';
import { ASK_VARS } from './schema/ask.vars';
import { EMBEDDINGS_VARS } from './schema/embeddings.vars';
import { TRACING_VARS } from './schema/tracing.vars';
import { BACKUP_VARS } from './schema/backup.vars';

/** One group per file under schema/; the order here is the order of .env.example and the README table. */
export const ENV_SPEC = {
  ...APP_VARS,
  ...SECURITY_VARS,
  ...DATABASE_VARS,
  ...REDIS_VARS,
  ...CACHE_VARS,
  ...RATE_LIMIT_VARS,
  ...AUTH_VARS,
  ...FEEDBACK_VARS,
  ...WEBHOOKS_VARS,
  ...DEFAULTS_VARS,
  ...INGESTION_VARS,
  ...ASK_VARS,
  ...EMBEDDINGS_VARS,
  ...TRACING_VARS,
  ...BACKUP_VARS,
} as const satisfies Record<string, VarSpec>;

export type EnvSpec = typeof ENV_SPEC;
export type EnvName = keyof EnvSpec;
type Parsed<S> = S extends { _type?: infer T } ? Exclude<T, undefined> : never;
type EnumOf<S> = S extends EnumSpec<infer T> ? T : never;
export type Env = {
  [K in EnvName]: EnvSpec[K] extends EnumSpec ? EnumOf<EnvSpec[K]> : Parsed<EnvSpec[K]>;
};
