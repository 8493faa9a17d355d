/**
 * The placeholder values that `.env.example` ships for secrets. Production refuses them, and a
 * test keeps this list and `.env.example` identical, so copying the example file to a server
 * cannot silently deploy a public secret.
 */
export const EXAMPLE_SECRET_VALUES: Readonly<Record<string, string>> = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/nexcore',
  REDIS_URL: 'redis://127.0.0.1:6379',
  JWT_SECRET: 'change-me-this-is-a-placeholder-of-48-characters',
  METRICS_TOKEN: '',
};
