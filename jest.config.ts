/** @jest-config-loader esbuild-register */
import type { Config } from 'jest';

// One transform for the whole repo: swc compiles TypeScript (with Nest's legacy
// decorators and their metadata) and the ESM-only dependencies (@noble, @scure,
// nostr-tools) to CommonJS, which is what Jest's module system runs.
const swc: [string, Record<string, unknown>] = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

const esmPackages = ['@nestjs', '@noble', '@scure', 'nostr-tools', '@nostr-relay', 'canonicalize'].join('|');

const shared: Config = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages})/)`],
  moduleNameMapper: {
    '^@kez/protocol$': '<rootDir>/libs/protocol/src/index.ts',
    '^@kez/crypto$': '<rootDir>/libs/crypto/src/index.ts',
  },
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
};

const config: Config = {
  // Integration tests start real processes; a generous ceiling, never a speed target.
  testTimeout: 60_000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/server/src/**/*.spec.ts', '<rootDir>/client/src/**/*.spec.ts'],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/server/test/**/*.e2e-spec.ts', '<rootDir>/e2e/**/*.e2e-spec.ts', '<rootDir>/bench/**/*.e2e-spec.ts'],
    },
  ],
};

export default config;
