import { Command } from 'commander';
import { addLazyCommands, type LazyCommand } from '../lazy-command';

/** The `netlab lab` subcommands. */
export const LAB_COMMANDS: LazyCommand[] = [
  {
    name: 'validate',
    description:
      'check lab definitions: schema, files, manifests and parameters (default: every lab in the catalog)',
    load: async () => (await import('./lab-validate.command')).labValidateCommand(),
  },
  {
    name: 'test',
    description:
      'solve labs on a real or simulated cluster: fault → checks fail → solution → checks pass → bypasses caught',
    load: async () => (await import('./lab-test.command')).labTestCommand(),
  },
];

/** `netlab lab ...`: work with lab definitions; `args` are the words after `lab`. */
export function labCommand(args: readonly string[]): Promise<Command> {
  return addLazyCommands(new Command('lab').description('validate and test labs'), LAB_COMMANDS, args);
}
