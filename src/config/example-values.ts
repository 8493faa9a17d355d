/**
 * The placeholder values that `.env.example` ships for secrets. Production refuses them, and a
 * test keeps this list and `.env.example` identical, so copying the example file to a server
 * cannot silently deploy a public secret.
 */
export const EXAMPLE_SECRET_VALUES: Readonly<Record<string, string>> = {
  // Empty: a copied .env.example starts the embedded mode (production refuses it unless allowed).
  DATABASE_URL: '',
  REDIS_URL: '',
  JWT_SECRET: 'change-me-this-is-a-placeholder-of-48-characters',
  METRICS_TOKEN: '',
};
