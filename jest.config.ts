/** @jest-config-loader esbuild-register */
import type { Config } from 'jest';

// ts-jest transpiles our TypeScript (with Nest's legacy decorators and their
// metadata) to CommonJS; scripts/jest-esm-to-cjs.cjs does the same for the ESM-only
// dependencies. Transpile only (isolatedModules): type checking is `npm run lint`'s job.
const transform: [string, Record<string, unknown>] = ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }];

const esmPackages = [
  '@nestjs',
  '@noble',
  '@scure',
  'nostr-tools',
  '@nostr-relay',
  'canonicalize',
  'content-disposition',
  'cookie',
  'fast-png',
  'iobuffer',
  'path-to-regexp',
].join('|');

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

/**
 * The projects are the tiers `npm test` runs in order (scripts/test.mjs,
 * docs/testing.md): unit and in-process need no build; process, e2e and bench
 * run the built server and client.
 */
const config: Config = {
  // Tests start real servers, databases and browsers; a generous ceiling, never a speed target.
  testTimeout: 60_000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/server/src/**/*.spec.ts', '<rootDir>/client/src/**/*.spec.ts'],
    },
    {
      ...shared,
      // The app built in the Jest process (the server's own createApp) on real SQLite and
      // PostgreSQL: through Fastify's inject() in http/, listening on a loopback port in
      // in-process/; and the client's relay code against real relays. No build.
      displayName: 'in-process',
      testMatch: [
        '<rootDir>/server/test/http/**/*.http-spec.ts',
        '<rootDir>/server/test/in-process/**/*.e2e-spec.ts',
        '<rootDir>/client/test/**/*.e2e-spec.ts',
      ],
    },
    {
      ...shared,
      // The built server as processes: start-up, exit codes, signals, its own output,
      // several processes on one store, clusters with nats-server and nginx.
      displayName: 'process',
      testMatch: ['<rootDir>/server/test/process/**/*.e2e-spec.ts', '<rootDir>/server/test/cluster/**/*.e2e-spec.ts'],
    },
    {
      ...shared,
      // Chromium against the built server and client.
      displayName: 'e2e',
      testMatch: ['<rootDir>/e2e/**/*.e2e-spec.ts'],
    },
    {
      ...shared,
      // The benchmarks' smoke runs, as `npm run bench:* -- --smoke` runs them.
      displayName: 'bench',
      testMatch: ['<rootDir>/bench/**/*.e2e-spec.ts'],
    },
  ],
};

export default config;
