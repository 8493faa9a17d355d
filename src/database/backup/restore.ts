import { access } from 'node:fs/promises';
import { BackupError, connectionArgs, runPgTool } from './pg-tools';

export interface RestoreOptions {
  databaseUrl: string;
  file: string;
  pgRestore?: string;
}

/**
 * pg_restore of a db:backup archive into the database: objects in the archive are dropped
 * first (--clean --if-exists) and recreated, ownership is not restored (--no-owner: the
 * archive may come from another role), and all of it runs in one transaction, so a failed
 * restore leaves the database as it was.
 */
export async function restoreDatabase(opts: RestoreOptions): Promise<void> {
  await access(opts.file).catch(() => {
    throw new BackupError(`no such backup file: ${opts.file}`);
  });
  const { dbname, env } = connectionArgs(opts.databaseUrl);
  await runPgTool(
    opts.pgRestore ?? 'pg_restore',
    ['--clean', '--if-exists', '--no-owner', '--single-transaction', `--dbname=${dbname}`, opts.file],
    env,
  );
}
