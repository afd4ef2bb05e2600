// Type-aware linting (docs/architecture.md §13): floating promises are errors, Prettier owns formatting.
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'eslint.config.mjs',
      'jest.config.js',
      'test-results/**',
      'tools/mongo-server/target/**',
      // mongosh scripts run inside the database containers, not by Node.
      'deploy/**/*.js',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  prettier,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Module boundaries: a module uses another module's exported services
    // and its *.types.ts, never its schemas, repositories, worker, or the zoom module's internals.
    // Imports within a module ('./x', or '../x' from a subfolder) stay allowed.
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex:
                '^(\\.\\./)+[a-z-]+/(.+/)?(schemas/|[a-z-]+\\.repository$|[a-z-]+-worker\\.service$|zoom-http\\.client$|zoom-token\\.service$)',
              message:
                "Another module's schema, repository, worker or Zoom internals: use its exported service (or its *.types.ts) instead.",
            },
          ],
        },
      ],
    },
  },
  {
    // Tests use supertest's loosely typed bodies; keep the safety rules that catch real bugs.
    files: ['**/*.spec.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
