#!/usr/bin/env node
// `npm start`: builds what is stale (the server bundle, the web UI), then starts the server from the
// compiled JavaScript; NETLAB_RUN_TS=1 runs the TypeScript sources through tsx instead.
import { runCompiled } from '../launcher/run.js';

await runCompiled('main', '../src/main.ts', async (load) => {
  const { ensureWebBuilt } = await load('web-build', '../src/web-app/web-build.ts');
  ensureWebBuilt({ log: (line) => process.stderr.write(`netlab: ${line}\n`) });
});
