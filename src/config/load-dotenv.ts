import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Loads `./.env` into process.env for local runs. Real environment variables win, and tests
 * (NODE_ENV=test) never read it, so a developer's .env cannot change what the suite checks.
 */
export function loadDotEnv(path = resolve(process.cwd(), '.env')): void {
  if (process.env.NODE_ENV === 'test' || !existsSync(path)) return;
  process.loadEnvFile(path);
}
