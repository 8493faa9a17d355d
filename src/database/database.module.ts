import { Global, Module } from '@nestjs/common';
import { TypeOrmModule, TypeOrmModuleOptions } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions } from 'typeorm';
import { databaseConfig, DatabaseConfig } from '../config/namespaces';
import { acquireEmbeddedPostgres, EmbeddedPostgresHandle } from './embedded/embedded-postgres';
import { migrateWithLock } from './migrate-with-lock';
import { Transactions } from './transactions';
import { buildTypeOrmOptions } from './typeorm-options';

/** Options carried from the options factory to the data source factory (never given to TypeORM). */
type CarriedOptions = DataSourceOptions & { embeddedDataDir?: string };

/**
 * Stops the embedded PostgreSQL right after TypeORM closed its pool, whichever module's shutdown
 * hook did it: shutdown order between modules is not something to rely on.
 */
function releaseAfterDestroy(dataSource: DataSource, embedded: EmbeddedPostgresHandle): void {
  const destroy = dataSource.destroy.bind(dataSource);
  dataSource.destroy = async () => {
    try {
      await destroy();
    } finally {
      await embedded.release();
    }
  };
}

/** The connection (TypeORM) and the transaction helper, for every module. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [databaseConfig.KEY],
      useFactory: (db: DatabaseConfig): TypeOrmModuleOptions & { embeddedDataDir?: string } => ({
        ...buildTypeOrmOptions(db),
        // Carried to the factory below, which runs them itself under an advisory lock.
        migrationsRun: db.migrationsRun,
        // Without DATABASE_URL the factory below starts the embedded PostgreSQL first.
        embeddedDataDir: db.url ? undefined : db.embeddedDataDir,
        // Few, quick retries: a database that is not there at boot is a fatal, visible error.
        retryAttempts: db.connectRetries,
        retryDelay: 1000,
      }),
      dataSourceFactory: async (options?: DataSourceOptions) => {
        const { migrationsRun, embeddedDataDir, ...rest } = options as CarriedOptions;
        const embedded = embeddedDataDir ? await acquireEmbeddedPostgres(embeddedDataDir) : undefined;
        const url = embedded?.url ?? (rest as { url?: string }).url;
        const dataSource = new DataSource({ ...rest, url, migrationsRun: false } as DataSourceOptions);
        try {
          await dataSource.initialize();
          if (migrationsRun) await migrateWithLock(dataSource);
        } catch (err) {
          if (dataSource.isInitialized) await dataSource.destroy().catch(() => undefined);
          await embedded?.release();
          throw err;
        }
        if (embedded) releaseAfterDestroy(dataSource, embedded);
        return dataSource;
      },
    }),
  ],
  providers: [Transactions],
  exports: [Transactions],
})
export class DatabaseModule {}
