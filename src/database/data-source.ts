import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadEnv } from '../config/env';
import { loadDotEnv } from '../config/load-dotenv';
import { buildTypeOrmOptions } from './typeorm-options';

/** Data source for the TypeORM CLI (`npm run migration:*`). */
loadDotEnv();
const env = loadEnv();
export default new DataSource(
  buildTypeOrmOptions({
    url: env.DATABASE_URL,
    poolSize: 2,
    statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS,
  }),
);
