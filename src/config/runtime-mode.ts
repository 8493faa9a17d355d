import type { Env } from './env.schema';

/**
 * Which backing services this process uses. An empty DATABASE_URL means an embedded PostgreSQL
 * (PGlite, in-process); an empty REDIS_URL means cache, limits, counters and jobs live in
 * process memory. Either makes the process a single instance: nothing is shared with another.
 */
export interface RuntimeMode {
  database: 'postgres' | 'pglite';
  redis: 'redis' | 'in-memory';
  /** True when any component is embedded; such a process must be the only instance. */
  singleInstance: boolean;
}

export function runtimeModeOf(env: Pick<Env, 'DATABASE_URL' | 'REDIS_URL'>): RuntimeMode {
  const database = env.DATABASE_URL ? 'postgres' : 'pglite';
  const redis = env.REDIS_URL ? 'redis' : 'in-memory';
  return { database, redis, singleInstance: database === 'pglite' || redis === 'in-memory' };
}

type ModeEnv = Pick<Env, 'DATABASE_URL' | 'REDIS_URL' | 'NODE_ENV' | 'ALLOW_EMBEDDED_IN_PRODUCTION' | 'APP_ROLE'>;

/**
 * Combinations refused at boot, each with the way out. Takes a partial parse: a variable that
 * failed its own validation is undefined here and must not also be reported as "not set".
 */
export function embeddedModeProblems(env: Partial<ModeEnv>): string[] {
  const problems: string[] = [];
  if (env.NODE_ENV === 'production' && env.ALLOW_EMBEDDED_IN_PRODUCTION === false) {
    if (env.DATABASE_URL === '')
      problems.push(
        'DATABASE_URL is not set: NODE_ENV=production refuses the embedded PostgreSQL (one instance, data in PGLITE_DATA_DIR); set DATABASE_URL, or ALLOW_EMBEDDED_IN_PRODUCTION=true to accept it',
      );
    if (env.REDIS_URL === '')
      problems.push(
        'REDIS_URL is not set: NODE_ENV=production refuses the in-memory cache, rate limiter and job queue (one instance, jobs lost on restart); set REDIS_URL, or ALLOW_EMBEDDED_IN_PRODUCTION=true to accept it',
      );
  }
  if (env.REDIS_URL === '' && env.APP_ROLE === 'api')
    problems.push(
      'APP_ROLE=api needs REDIS_URL: without Redis, background jobs run only in the process that queues them (use APP_ROLE=all)',
    );
  return problems;
}
