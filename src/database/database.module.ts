import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions } from 'typeorm';
import { databaseConfig, DatabaseConfig } from '../config/namespaces';
import { migrateWithLock } from './migrate-with-lock';
import { buildTypeOrmOptions } from './typeorm-options';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [databaseConfig.KEY],
      useFactory: (db: DatabaseConfig) => ({
        ...buildTypeOrmOptions(db),
        // Carried to the factory below, which runs them itself under an advisory lock.
        migrationsRun: db.migrationsRun,
        // Few, quick retries: a database that is not there at boot is a fatal, visible error.
        retryAttempts: db.connectRetries,
        retryDelay: 1000,
      }),
      dataSourceFactory: async (options?: DataSourceOptions) => {
        const { migrationsRun, ...rest } = options!;
        const dataSource = await new DataSource({ ...rest, migrationsRun: false }).initialize();
        if (migrationsRun) await migrateWithLock(dataSource);
        return dataSource;
      },
    }),
  ],
})
export class DatabaseModule {}
