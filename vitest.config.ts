import { defineConfig } from 'vitest/config';

/**
 * Three suites: unit (pure domain, in-memory ports), integration (the API over HTTP through the
 * local runtime against DynamoDB Local and the stand-ins), infra (CDK templates and cdk-nag).
 */
/** Unit tests page through stores in their own process, so they sign cursors too (the stacks generate the real key). */
const CURSOR_SIGNING_KEY = 'test-only-cursor-signing-key-0123456789';

export default defineConfig({
  test: {
    projects: [
      // Handlers log every refused request; the test output has no use for it.
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], env: { POWERTOOLS_LOG_LEVEL: 'SILENT', CURSOR_SIGNING_KEY } } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      { test: { name: 'infra', include: ['test/infra/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 } },
    ],
  },
});
