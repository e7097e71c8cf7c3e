#!/usr/bin/env node
// The netlab CLI. The sources are TypeScript run through tsx, so `npx netlab` works right after `npm ci`.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
