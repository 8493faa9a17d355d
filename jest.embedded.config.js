/**
 * The embedded-mode suite (`npm run test:embedded`): a representative subset of the e2e specs —
 * auth, defaults, ingestion + ask, feedback, webhooks — run unchanged with DATABASE_URL and
 * REDIS_URL removed (test/support/embedded-env.ts), so every app starts PGlite in-process and
 * keeps its Redis state in memory; plus test/embedded/*.embedded-spec.ts. PGlite loads its
 * WebAssembly through dynamic import(), which jest's sandbox allows only under
 * `node --experimental-vm-modules`. The main suite (jest.config.js) stays on real services.
 */
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.jest.json', diagnostics: false }];

module.exports = {
  displayName: 'embedded',
  testEnvironment: 'node',
  testTimeout: 90000,
  transform: { '^.+\\.ts$': tsJest },
  testMatch: [
    '<rootDir>/test/embedded/*.embedded-spec.ts',
    '<rootDir>/test/auth/accounts.e2e-spec.ts',
    '<rootDir>/test/auth/tokens.e2e-spec.ts',
    '<rootDir>/test/auth/sessions-and-keys.e2e-spec.ts',
    '<rootDir>/test/security/login-race.e2e-spec.ts',
    '<rootDir>/test/security/api-key-rotation-race.e2e-spec.ts',
    '<rootDir>/test/defaults/defaults-api.e2e-spec.ts',
    '<rootDir>/test/ingestion/crawl.e2e-spec.ts',
    '<rootDir>/test/ask/ask.e2e-spec.ts',
    '<rootDir>/test/feedback/intake.e2e-spec.ts',
    '<rootDir>/test/feedback/admin-idempotency.e2e-spec.ts',
    '<rootDir>/test/webhooks/delivery.e2e-spec.ts',
  ],
  globalSetup: '<rootDir>/test/support/embedded-global-setup.ts',
  globalTeardown: '<rootDir>/test/support/embedded-global-teardown.ts',
  setupFiles: ['<rootDir>/test/support/test-env.ts', '<rootDir>/test/support/embedded-env.ts'],
};
