import { loadDotEnv } from '../../config/load-dotenv';
import { parseVars } from '../../config/env';
import { restoreDatabase } from './restore';

const USAGE = 'usage: npm run db:restore -- <backup file> [--yes]   (--yes is required when NODE_ENV=production)';

/**
 * `npm run db:restore -- <file>` (or `node dist/database/backup/restore-cli.js <file>`):
 * replaces the contents of DATABASE_URL with the archive. Refused without a file, and in
 * production unless --yes says the overwrite is meant.
 */
async function main(): Promise<void> {
  loadDotEnv();
  const args = process.argv.slice(2);
  const files = args.filter((a) => !a.startsWith('--'));
  const unknown = args.filter((a) => a.startsWith('--') && a !== '--yes');
  if (files.length !== 1 || unknown.length) throw new Error(USAGE);
  const env = parseVars(process.env, ['NODE_ENV', 'DATABASE_URL']);
  if (env.NODE_ENV === 'production' && !args.includes('--yes')) {
    throw new Error(`refusing to overwrite a production database without --yes\n${USAGE}`);
  }
  const started = Date.now();
  await restoreDatabase({ databaseUrl: env.DATABASE_URL, file: files[0] });
  process.stdout.write(`restored ${files[0]} (${Date.now() - started} ms)\n`);
}

main().catch((err: Error) => {
  process.stderr.write(`db:restore failed: ${err.message}\n`);
  process.exit(1);
});
