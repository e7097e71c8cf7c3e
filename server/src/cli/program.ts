import { Command } from 'commander';
import { labCommand } from './commands/lab.command';
import { reachCommand } from './commands/reach.command';
import { simCommand } from './commands/sim.command';

/** The `netlab` command with every subcommand; `--help` works on each. */
export function buildProgram(): Command {
  const program = new Command('netlab')
    .description('netlab: hands-on Kubernetes networking labs')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ outputError: (text, write) => write(text) });
  program.addCommand(labCommand());
  program.addCommand(reachCommand());
  program.addCommand(simCommand());
  return program;
}
