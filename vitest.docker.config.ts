import { defineConfig } from 'vitest/config';

// Suites that need a Docker engine. Each spec checks for the engine itself and prints SKIPPED when absent.
export default defineConfig({
  test: {
    reporters: ['default'],
    include: ['*/src/**/*.docker.spec.ts', '*/test/**/*.docker.spec.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
