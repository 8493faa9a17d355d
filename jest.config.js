/**
 * Two projects: `unit` (*.spec.ts beside the code, no services) and `e2e` (test/**, real
 * Postgres + Redis, a fresh database created by the global setup). One run covers both.
 */
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.jest.json', diagnostics: false }];

module.exports = {
  coverageDirectory: 'coverage',
  testTimeout: 60000,
  collectCoverageFrom: [
    'src/**/*.ts',
    '!src/**/*.spec.ts',
    // Entry points run as child processes by test/boot.e2e-spec.ts, outside coverage's reach.
    '!src/main.ts',
    '!src/database/data-source.ts',
  ],
  coverageThreshold: { global: { lines: 90 } },
  coverageReporters: ['text-summary', 'lcov'],
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': tsJest },
      testMatch: ['<rootDir>/src/**/*.spec.ts'],
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': tsJest },
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      setupFiles: ['<rootDir>/test/support/test-env.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/leak-scan-setup.ts'],
    },
  ],
};
