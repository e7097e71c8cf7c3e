import { Command } from 'commander';
import { labTestCommand } from './lab-test.command';
import { labValidateCommand } from './lab-validate.command';

/** `netlab lab ...`: work with lab definitions. */
export function labCommand(): Command {
  return new Command('lab')
    .description('validate and test labs')
    .addCommand(labValidateCommand())
    .addCommand(labTestCommand());
}
