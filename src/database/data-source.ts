import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadEnv } from '../config/env';
import { loadDotEnv } from '../config/load-dotenv';
import { buildTypeOrmOptions } from './typeorm-options';

/** Data source for the TypeORM CLI (`npm run migration:*`). */
loadDotEnv();
const env = loadEnv();
if (!env.DATABASE_URL) {
  // The embedded PostgreSQL lives inside the app process; the app applies migrations at boot.
  throw new Error(
    'the TypeORM CLI needs DATABASE_URL (with the embedded PostgreSQL, migrations run when nexcore starts)',
  );
}
export default new DataSource(
  buildTypeOrmOptions({
    url: env.DATABASE_URL,
    poolSize: 2,
    statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS,
  }),
);
