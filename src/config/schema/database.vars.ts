import { int, bool, str, url, VarSpec } from './kinds';

/** Environment variables of the `database` group (see ../env.schema.ts). */
export const DATABASE_VARS = {
  DATABASE_URL: url({
    group: 'database',
    protocols: ['postgres:', 'postgresql:'],
    default: '',
    secret: true,
    doc: 'PostgreSQL connection URL; empty starts an embedded PostgreSQL (PGlite) in-process, for one instance only',
  }),
  PGLITE_DATA_DIR: str({
    group: 'database',
    default: './data/pglite',
    minLength: 1,
    doc: 'Data directory of the embedded PostgreSQL used when DATABASE_URL is empty',
  }),
  DB_POOL_SIZE: int({
    group: 'database',
    default: 10,
    min: 1,
    max: 100,
    doc: 'Connections per process (always 1 with the embedded PostgreSQL)',
  }),
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
} as const satisfies Record<string, VarSpec>;
