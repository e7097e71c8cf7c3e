#!/usr/bin/env node
// `npm run -w @netlab/server compile`: compiles now if stale (the platform image runs this at build
// time, so containers start from compiled JavaScript) and prints where the build is.
import { ensureBuilt } from './compile.js';

console.log(await ensureBuilt());
