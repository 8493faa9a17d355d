import { join } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { DatabaseConfig } from '../config/namespaces';

/**
 * The one place TypeORM options are built: the Nest app and the migration CLI both call it, so
 * they cannot disagree on entities, migrations or connection settings. Globs resolve next to
 * this file, which is `src/` under ts-jest/ts-node and `dist/` in the build.
 */
export function buildTypeOrmOptions(db: Omit<DatabaseConfig, 'migrationsRun' | 'connectRetries'>): DataSourceOptions {
  const root = join(__dirname, '..');
  return {
    type: 'postgres',
    url: db.url,
    entities: [join(root, '**', '*.entity.{ts,js}')],
    migrations: [join(root, '..', 'migrations', '*.{ts,js}')],
    migrationsTableName: 'typeorm_migrations',
    // Migrations run explicitly (at boot under an advisory lock, or via the CLI), never implicitly.
    migrationsRun: false,
    synchronize: false,
    poolSize: db.poolSize,
    applicationName: 'nexcore',
    extra: {
      max: db.poolSize,
      statement_timeout: db.statementTimeoutMs,
      connectionTimeoutMillis: 5000,
    },
  };
}
