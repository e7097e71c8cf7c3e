import { Command } from 'commander';
import { addLazyCommands, type LazyCommand } from './lazy-command';

/** The top-level subcommands; each module is imported only when its command runs. */
export const COMMANDS: LazyCommand[] = [
  {
    name: 'admin',
    description: 'manage accounts: create one, reset a password',
    load: async () => (await import('./commands/admin.command')).adminCommand(),
  },
  {
    name: 'cluster',
    description: 'check an existing cluster for netlab',
    load: async () => (await import('./commands/cluster.command')).clusterCommand(process.argv.slice(3)),
  },
  {
    name: 'lab',
    description: 'validate and test labs',
    load: async () => (await import('./commands/lab.command')).labCommand(process.argv.slice(3)),
  },
  {
    name: 'reach',
    description:
      'can A reach B? Walk DNS, Service, endpoints, NetworkPolicy and listeners over a cluster dump',
    load: async () => (await import('./commands/reach.command')).reachCommand(),
  },
  {
    name: 'sim',
    description: 'emulated Kubernetes clusters (the sim provider)',
    load: async () => (await import('./commands/sim.command')).simCommand(),
  },
];

/** The `netlab` command for these arguments (the words after `netlab`); `--help` works on each subcommand. */
export async function buildProgram(args: readonly string[]): Promise<Command> {
  const program = new Command('netlab')
    .description('netlab: hands-on Kubernetes networking labs')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ outputError: (text, write) => write(text) });
  return addLazyCommands(program, COMMANDS, args);
}
