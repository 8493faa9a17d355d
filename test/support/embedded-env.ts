/**
 * Runs after test-env.ts in the embedded suite (jest.embedded.config.js): no DATABASE_URL and
 * no REDIS_URL, so apps boot in embedded mode — PGlite in this process (data under the run's
 * scratch directory, shared by the files one after another, migrated at the first boot) and
 * Redis state in memory.
 */
import { join } from 'node:path';

export const EMBEDDED_TEST_DIR = process.env.NEXCORE_EMBEDDED_TEST_DIR ?? '';
if (!EMBEDDED_TEST_DIR)
  throw new Error('run the embedded suite with jest.embedded.config.js (its global setup makes the scratch directory)');

delete process.env.DATABASE_URL;
delete process.env.REDIS_URL;
Object.assign(process.env, {
  PGLITE_DATA_DIR: join(EMBEDDED_TEST_DIR, 'pglite'),
  DB_MIGRATIONS_RUN: 'true',
});
