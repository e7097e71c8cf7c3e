import { Command } from 'commander';

/** A subcommand whose module (and its heavy imports: the sim, client-node) loads only when used. */
export interface LazyCommand {
  name: string;
  /** Shown in the parent's help; a spec checks it equals the loaded command's own description. */
  description: string;
  load: () => Promise<Command>;
}

/**
 * Adds `commands` to `parent`, loading only the one that `args` (the words after the parent) names;
 * the others are light placeholders that are enough for the parent's `--help`.
 */
export async function addLazyCommands(
  parent: Command,
  commands: LazyCommand[],
  args: readonly string[],
): Promise<Command> {
  const wanted = args[0] === 'help' ? args[1] : args[0];
  for (const c of commands) {
    parent.addCommand(c.name === wanted ? await c.load() : new Command(c.name).description(c.description));
  }
  return parent;
}
