import { defineConfig } from 'vitest/config';

const PACKAGES = ['labs', 'grader', 'infra', 'server', 'web'];

// One project per package, so the summary prints pass/fail counts per suite.
// Docker-needing specs (*.docker.spec.ts) run only under `npm run test:docker`.
export default defineConfig({
  test: {
    reporters: ['default', './scripts/suite-summary.reporter.ts'],
    projects: [
      ...PACKAGES.map((name) => ({
        extends: true,
        test: {
          name,
          root: `./${name}`,
          include: ['src/**/*.spec.ts', 'test/**/*.spec.ts', 'scripts/**/*.spec.ts'],
          exclude: ['**/node_modules/**', '**/*.docker.spec.ts'],
        },
      })),
      // Repository-wide rules: lint arrows, CI script, README commands.
      { extends: true, test: { name: 'repo', include: ['scripts/**/*.spec.ts'] } },
    ],
  },
});
