import { loadDotEnv } from '../../config/load-dotenv';
import { parseVars } from '../../config/env';
import { backupDatabase } from './backup';

/**
 * `npm run db:backup` (or `node dist/database/backup/backup-cli.js` where only the build is):
 * one pg_dump archive of DATABASE_URL into BACKUP_DIR, keeping the newest BACKUP_RETENTION.
 */
async function main(): Promise<void> {
  loadDotEnv();
  const env = parseVars(process.env, ['DATABASE_URL', 'BACKUP_DIR', 'BACKUP_RETENTION']);
  const started = Date.now();
  const { file, deleted } = await backupDatabase({
    databaseUrl: env.DATABASE_URL,
    dir: env.BACKUP_DIR,
    retention: env.BACKUP_RETENTION,
  });
  process.stdout.write(`backup written: ${file} (${Date.now() - started} ms)\n`);
  for (const f of deleted) process.stdout.write(`deleted (retention ${env.BACKUP_RETENTION}): ${f}\n`);
}

main().catch((err: Error) => {
  process.stderr.write(`db:backup failed: ${err.message}\n`);
  process.exit(1);
});
