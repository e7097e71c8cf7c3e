#!/usr/bin/env node
// The netlab CLI. Runs the compiled JavaScript (compiled on first use and whenever a source changes:
// see ../launcher/compile.js); NETLAB_RUN_TS=1 runs the TypeScript sources through tsx instead.
import { runCompiled } from '../launcher/run.js';

await runCompiled('cli', '../src/cli/main.ts');
