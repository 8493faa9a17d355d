// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'coverage/**', 'node_modules/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'off',
      'no-console': 'error',
      // A problem code must be an ErrorCode: exception bodies with a code go through problemBody().
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name=/Exception$/] > ObjectExpression > Property[key.name='code']",
          message: 'Wrap the body in problemBody() (common/errors/error-code) so its code is a checked ErrorCode.',
        },
        {
          selector:
            "CallExpression > MemberExpression.callee[property.name='transaction'][object.property.name=/^(ds|dataSource|manager)$/]",
          message: 'Open transactions with Transactions.run() (database/transactions), the one transaction helper.',
        },
      ],
    },
  },
  { files: ['src/database/transactions.ts'], rules: { 'no-restricted-syntax': 'off' } },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'src/**/*.spec.ts'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-non-null-assertion': 'off', 'no-restricted-syntax': 'off' },
  },
);
