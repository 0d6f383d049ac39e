// @ts-check
import angular from 'angular-eslint';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** Test code: specs, the server's and the client's test harnesses, browser tests, vector builders. */
const tests = [
  '**/*.spec.ts',
  '**/*.e2e-spec.ts',
  '**/*.http-spec.ts',
  'server/test/**/*.ts',
  'client/test/**/*.ts',
  'client/src/app/core/testing/**/*.ts',
  'e2e/**/*.ts',
  'libs/*/test-vectors/**/*.ts',
];

export default defineConfig(
  { ignores: ['dist/**', 'dist-*/**', 'node_modules/**', '.angular/**', 'coverage/**'] },
  {
    files: ['**/*.{ts,js,mjs,cjs}'],
    rules: {
      eqeqeq: ['error', 'always'],
      curly: ['error', 'all'],
    },
  },
  {
    // Every .ts file is in a tsconfig (the project service refuses one that is not): type-aware rules throughout.
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // An async function without await is how fakes and stores here implement a Promise-returning interface (a throw becomes a rejection).
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: tests,
    rules: {
      // Jest's asymmetric matchers (expect.any, objectContaining) are typed any, and tests read JSON bodies as any: the rules would ask for casts, not safety.
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // Tests pass methods as values on purpose: handlers whose route metadata a guard reads, prototype methods saved to call back with .call.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['client/src/**/*.ts'],
    extends: [angular.configs.tsRecommended],
    processor: angular.processInlineTemplates,
    rules: {
      '@angular-eslint/component-selector': ['error', { type: 'element', prefix: 'kez', style: 'kebab-case' }],
      '@angular-eslint/directive-selector': ['error', { type: 'attribute', prefix: 'kez', style: 'camelCase' }],
    },
  },
  {
    // Template files and the inline templates processInlineTemplates extracts.
    files: ['client/src/**/*.html'],
    extends: [angular.configs.templateRecommended, angular.configs.templateAccessibility],
  },
  {
    // Plain JavaScript (Node scripts, the service worker, this file) is in no tsconfig: the rules that need no types.
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.recommended],
  },
  {
    // CommonJS on purpose (Jest loads it with require).
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
