import { int, bool, url, VarSpec } from './kinds';

/** Environment variables of the `database` group (see ../env.schema.ts). */
export const DATABASE_VARS = {
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
} as const satisfies Record<string, VarSpec>;
