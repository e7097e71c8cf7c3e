import { Command } from 'commander';
import { addLazyCommands, type LazyCommand } from '../lazy-command';

/** The `netlab cluster` subcommands. */
export const CLUSTER_COMMANDS: LazyCommand[] = [
  {
    name: 'check',
    description:
      'check that a cluster can run netlab labs: version, APIs, pod network, DNS, NetworkPolicy enforcement, image pulls',
    load: async () => (await import('./cluster-check.command')).clusterCheckCommand(),
  },
];

/** `netlab cluster ...`: what an existing cluster can do for netlab; `args` are the words after `cluster`. */
export function clusterCommand(args: readonly string[]): Promise<Command> {
  return addLazyCommands(
    new Command('cluster').description('check an existing cluster for netlab'),
    CLUSTER_COMMANDS,
    args,
  );
}
