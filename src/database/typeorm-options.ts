import { join } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { DatabaseConfig } from '../config/namespaces';

/**
 * The one place TypeORM options are built: the Nest app and the migration CLI both call it, so
 * they cannot disagree on entities, migrations or connection settings.
 */
export function buildTypeOrmOptions(
  db: Pick<DatabaseConfig, 'url' | 'poolSize' | 'statementTimeoutMs'>,
): DataSourceOptions {
  const root = join(__dirname, '..');
  // Under ts-node/ts-jest the sources run (repo/migrations/*.ts); in the build, the compiled
  // copies in dist/migrations/*.js (tsconfig.migrations.json).
  const migrations = __filename.endsWith('.ts')
    ? join(root, '..', 'migrations', '*.ts')
    : join(root, 'migrations', '*.js');
  return {
    type: 'postgres',
    url: db.url,
    entities: [join(root, '**', '*.entity.{ts,js}')],
    migrations: [migrations],
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
