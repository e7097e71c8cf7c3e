import { describe, expect, it } from 'vitest';
import { LAB_COMMANDS } from './commands/lab.command';
import { addLazyCommands } from './lazy-command';
import { buildProgram, COMMANDS } from './program';
import { Command } from 'commander';

describe(addLazyCommands.name, () => {
  it.each([...COMMANDS, ...LAB_COMMANDS].map((c) => [c.name, c] as const))(
    'should describe %s in the parent help exactly as the command itself does',
    async (_name, lazy) => {
      const loaded = await lazy.load();
      expect(lazy.description).toBe(loaded.description());
      expect(loaded.name()).toBe(lazy.name);
    },
  );

  it('should load only the subcommand that is asked for', async () => {
    let loads = 0;
    const make = (name: string) => ({
      name,
      description: name,
      load: async () => {
        loads++;
        return new Command(name).description(name).option('--real');
      },
    });
    const sut = await addLazyCommands(new Command('x'), [make('a'), make('b')], ['b', '--real']);
    expect(loads).toBe(1);
    expect(sut.commands.find((c) => c.name() === 'b')!.options.map((o) => o.long)).toEqual(['--real']);
  });

  it('should list every top-level command in the help', async () => {
    const help = (await buildProgram([])).helpInformation();
    for (const c of COMMANDS) expect(help).toContain(c.name);
  });
});
