import { Logger } from '@nestjs/common';
import { DataSource, MigrationExecutor } from 'typeorm';

/** Arbitrary constant shared by every nexcore replica: "nexcore_migrations" hashed to 31 bits. */
export const MIGRATION_LOCK_KEY = 0x6e657863;

/**
 * Runs pending migrations while holding a session-level Postgres advisory lock, on one
 * connection, so replicas booting together apply each migration exactly once: the others wait
 * on the lock and then find nothing pending.
 */
export async function migrateWithLock(dataSource: DataSource, logger = new Logger('Migrations')): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'each';
      const applied = await executor.executePendingMigrations();
      const names = applied.map((m) => m.name);
      if (names.length) logger.log(`applied ${names.length} migration(s): ${names.join(', ')}`);
      return names;
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}
