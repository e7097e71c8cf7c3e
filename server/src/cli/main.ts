import { buildProgram } from './program';

const program = await buildProgram(process.argv.slice(2));
program.parseAsync(process.argv).catch((error: unknown) => {
  // Commands report expected failures themselves; anything reaching here is a bug worth a stack.
  console.error(error);
  process.exit(70);
});
