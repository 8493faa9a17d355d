/**
 * Environment of every e2e test file (each file runs in its own module registry). A per-file
 * Redis key prefix keeps rate-limit counters and cache entries of one file from leaking into
 * another, and into other checkouts sharing the machine's Redis.
 */
import { randomBytes } from 'node:crypto';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/nexcore_test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

Object.assign(process.env, {
  NODE_ENV: 'test',
  DATABASE_URL: TEST_DATABASE_URL,
  REDIS_URL: TEST_REDIS_URL,
  REDIS_KEY_PREFIX: `nxt:${randomBytes(4).toString('hex')}:`,
  JWT_SECRET: randomBytes(32).toString('hex'),
  LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
  RATE_LIMIT_THRESHOLD: '100000',
  // Suites send hundreds of deliberate 401s from 127.0.0.1; the budget is tested on its own.
  AUTH_FAILURE_LIMIT: '100000',
  DB_MIGRATIONS_RUN: 'false',
  CORS_ORIGINS: 'https://app.example.test',
});
