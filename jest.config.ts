/** @jest-config-loader esbuild-register */
import type { Config } from 'jest';

// ts-jest transpiles our TypeScript (with Nest's legacy decorators and their
// metadata) to CommonJS; scripts/jest-esm-to-cjs.cjs does the same for the ESM-only
// dependencies. Transpile only (isolatedModules): type checking is `npm run lint`'s job.
const transform: [string, Record<string, unknown>] = ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }];

const esmPackages = ['@nestjs', '@noble', '@scure', 'nostr-tools', '@nostr-relay', 'canonicalize', 'content-disposition', 'cookie', 'fast-png', 'iobuffer'].join('|');

const shared: Config = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': transform, '^.+\\.m?js$': '<rootDir>/scripts/jest-esm-to-cjs.cjs' },
  // Also reaches ESM packages nested in another package's node_modules (light-my-request's cookie).
  transformIgnorePatterns: [`/node_modules/(?!(?:(?:@[^/]+/)?[^/]+/node_modules/)*(?:${esmPackages})/)`],
  moduleNameMapper: {
    '^@kez/protocol$': '<rootDir>/libs/protocol/src/index.ts',
    '^@kez/crypto$': '<rootDir>/libs/crypto/src/index.ts',
    '^@kez/nostr$': '<rootDir>/libs/nostr/src/index.ts',
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
      // The app built in the Jest process and driven through Fastify's inject(): no build, no sockets.
      displayName: 'http',
      testMatch: ['<rootDir>/server/test/http/**/*.http-spec.ts'],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: [
        '<rootDir>/server/test/**/*.e2e-spec.ts',
        '<rootDir>/client/test/**/*.e2e-spec.ts',
        '<rootDir>/e2e/**/*.e2e-spec.ts',
        '<rootDir>/bench/**/*.e2e-spec.ts',
      ],
    },
  ],
};

export default config;
