#!/usr/bin/env node
// Stands in for Prisma's native schema engine, which cannot be downloaded here (see server/README.md,
// "Database"). `prisma generate` only checks that this file exists; anything that would really run
// the engine ends up here and stops with the command to use instead.
console.error(
  'netlab: the native Prisma schema engine is not used in this repository.\n' +
    'Use the offline migration scripts instead:\n' +
    '  npm run -w @netlab/server db:migrate:create -- --name <name>\n' +
    '  npm run -w @netlab/server db:migrate:status\n' +
    '  npm run -w @netlab/server db:migrate:deploy',
);
process.exit(1);
